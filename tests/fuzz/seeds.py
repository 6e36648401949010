#!/usr/bin/python3
"""seeds.py: remake the seed inputs of fuzz-decode and fuzz-loadcurve from
what countis-sim answers (real register words and load-curve blocks):

    seeds.py BUILDDIR FUZZ_BIN SRCDIR

BUILDDIR holds countis-sim, FUZZ_BIN the clang build's tests/fuzz (the
decode harness prints its request plan with FUZZ_DECODE_PLAN=1). Writes
SRCDIR/tests/fuzz/corpus/{decode,loadcurve}/sim-*. See doc/fuzzing.md.
"""
import os
import socket
import struct
import subprocess
import sys
import time

from pymodbus.client import ModbusTcpClient


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_sim(builddir, args):
    port = free_port()
    p = subprocess.Popen([os.path.join(builddir, "countis-sim"), "--tcp",
                          "127.0.0.1:%d" % port] + args,
                         stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while time.time() < deadline:
        c = ModbusTcpClient("127.0.0.1", port=port, timeout=2)
        if c.connect():
            return p, c
        time.sleep(0.05)
    p.kill()
    sys.exit("countis-sim did not start")


def words(c, unit, addr, count):
    rsp = c.read_holding_registers(addr, count, slave=unit)
    if rsp.isError():
        return [0xFFFF] * count     # what a hostile slave could send
    return rsp.registers


def pack(ws):
    return b"".join(struct.pack(">H", w) for w in ws)


def main():
    builddir, fuzzbin, srcdir = sys.argv[1:4]
    out = os.path.join(srcdir, "tests", "fuzz", "corpus")
    env = dict(os.environ, FUZZ_DECODE_PLAN="1")
    plan = subprocess.run([os.path.join(fuzzbin, "fuzz-decode")], env=env,
                          capture_output=True, text=True, check=True)
    reqs = [tuple(int(x) for x in l.split()) for l in plan.stdout.split("\n")
            if l]
    p, c = start_sim(builddir, ["--units", "1,7", "--seed", "5",
                                "--fault", "7:phase-loss=2"])
    try:
        for unit in (1, 7):
            cyc = [pack(sum((words(c, unit, a, n) for a, n in reqs), []))]
            time.sleep(1.1)
            cyc.append(pack(sum((words(c, unit, a, n) for a, n in reqs), [])))
            with open(os.path.join(out, "decode", "sim-unit%d" % unit),
                      "wb") as f:
                f.write(bytes([1, 0, 3, 24]) + b"".join(cyc))
        blocks = []
        c.write_registers(0xF000, [0x0001], slave=1)
        for _ in range(3):
            blocks.append(words(c, 1, 0xF010, 122))
            c.write_registers(0xF000, [0xFFFE], slave=1)
        with open(os.path.join(out, "loadcurve", "sim-3-pages"), "wb") as f:
            f.write(bytes([80, 0x31]))
            for b in blocks:
                f.write(bytes([len(b)]) + pack(b))
        with open(os.path.join(out, "loadcurve", "sim-1-page"), "wb") as f:
            f.write(bytes([40, 0x02, len(blocks[0])]) + pack(blocks[0]))
    finally:
        c.close()
        p.terminate()
        p.wait()


main()
