# A consumer that copies with read(2), slowly, and grows its input pipe to 1 MiB shortly after it
# starts (F_SETPIPE_SZ on its own end), as a consumer may at any time.
import fcntl, os, sys, time
start, grown = time.monotonic(), False
while True:
    if not grown and time.monotonic() - start > 0.05:
        fcntl.fcntl(0, 1031, 1 << 20)
        grown = True
    d = os.read(0, 64 << 10)
    if not d:
        break
    sys.stdout.buffer.write(d)
    time.sleep(0.0005)
sys.stdout.buffer.flush()
