// Render every formula read from stdin with KaTeX (throwOnError: true).
// Input: a JSON list of {"tex": string, "display": bool}. Output: a JSON list of
// {"index", "tex", "error"} for the formulas KaTeX rejects (empty when all render).
const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const failures = [];
  JSON.parse(input).forEach((formula, index) => {
    try {
      katex.renderToString(formula.tex, { displayMode: formula.display, throwOnError: true });
    } catch (err) {
      failures.push({ index, tex: formula.tex, error: String(err.message || err) });
    }
  });
  process.stdout.write(JSON.stringify(failures));
});
