# A consumer that pauses for seconds before it copies its input with read(2).
import os, sys, time
time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 2)
while True:
    d = os.read(0, 1 << 20)
    if not d:
        break
    sys.stdout.buffer.write(d)
sys.stdout.buffer.flush()
