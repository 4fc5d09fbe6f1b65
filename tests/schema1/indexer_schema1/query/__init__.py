"""Ask and share: `Index` and every read, the natives' expression, history, exports."""
