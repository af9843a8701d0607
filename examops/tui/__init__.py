"""The terminal UI: the gate, the chief's review and the report, on Textual."""

import os
import sys

# Textual paints a change at most MAX_FPS times a second and waits up to one frame's period before painting it: at
# its default 60 a scan waits up to 17 ms twice (the typed code, then the card), most of a scan's time to its card.
# It paints only when something changed, so a higher cap costs nothing while the gate is idle (bench/README.md,
# "frame rate"). Set here, before anything imports Textual, which reads it once; a TEXTUAL_FPS of the user's wins.
os.environ.setdefault("TEXTUAL_FPS", "240")

# The lane's worker thread waits for the interpreter lock while the UI thread holds it, up to the switch interval:
# at Python's default 5 ms that was most of the wait between the scan's Enter and its check (bench --trace).
sys.setswitchinterval(0.001)
