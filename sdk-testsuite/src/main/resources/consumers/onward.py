# A consumer that splices its input onward, as pv and many tools do, and holds the pages long: stdin
# is spliced into private 1 MiB pipes, up to HOLD MiB of them (argument, 24 by default), and the
# oldest is copied to stdout, slowly, only when that much is held. The pages stay in the private
# pipes long after they left stdin.
import collections, fcntl, os, sys, time
hold = int(sys.argv[1]) if len(sys.argv) > 1 else 24
pipes = collections.deque()  # [read end, write end, bytes held]
held, eof = 0, False

def drain_oldest():
    global held
    r, w, n = pipes.popleft()
    os.close(w)
    while n:
        d = os.read(r, min(n, 64 << 10))
        sys.stdout.buffer.write(d)
        n -= len(d)
        held -= len(d)
        time.sleep(0.0002)
    os.close(r)

while not eof:
    if not pipes or pipes[-1][2] == 1 << 20:
        r, w = os.pipe()
        fcntl.fcntl(w, 1031, 1 << 20)  # F_SETPIPE_SZ
        pipes.append([r, w, 0])
    last = pipes[-1]
    n = os.splice(0, last[1], (1 << 20) - last[2])
    eof = n == 0
    last[2] += n
    held += n
    while held >= hold << 20:
        drain_oldest()
while pipes:
    drain_oldest()
sys.stdout.buffer.flush()
