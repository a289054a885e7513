"""The photographer's flow for one student: identify, live checks, shutter, review, save."""
