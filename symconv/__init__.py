"""symconv: convolution operators as explicit symbolic sparse matrices."""
