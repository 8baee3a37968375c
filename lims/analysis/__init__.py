"""Analysis near the data: registered methods, their runs, and the derived records they produce."""
