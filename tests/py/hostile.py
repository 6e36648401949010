#!/usr/bin/python3
"""hostile.py: a Modbus peer that misbehaves on request, for the wire tests.

It serves E34-like answers (identification, metrology, energies, tariffs,
clock) over Modbus TCP (a real port) or Modbus RTU (a pseudo-terminal),
with frames built by hand, and shares nothing with countis-sim: it is the
independent side of the conversation. Each fault is one mode, chosen per
unit and per request on the command line (--fault) or in a control file
(--control, re-read when it changes), so a fault matrix can grow a mode at
a time:

  --fault UNIT:MODE[=ARG][@ADDR][#N|#N-|#N-M]

  MODE      late=MS       answer MS ms after the request (after its timeout)
            twice         answer, then the same answer again
            stray[=W]     a valid frame nobody asked for: TCP, another
                          transaction id before the answer; RTU, another
                          unit's frame before it and, 20 ms after it, one
                          of this unit of W words (default: as asked), all
                          with 0x05F5E0FF (999999.99 kWh) in every pair
            unit=N        answer with unit id N
            exception=C   exception code C (any 0..255)
            trickle=MS    one byte of the answer every MS ms
            silent        no answer
            halfopen      TCP: this connection never answers again (the
                          socket stays open); new connections are served
  @ADDR     only requests starting at ADDR (0xC702, or decimal)
  #N        only the Nth request of that unit (and ADDR); N- from the Nth
            on; N-M the Nth to the Mth. Default: every request.

The energy counter Ea+ (0xC702, 10 Wh) is 1234500 + K and V1 (0xC558,
10 mV) 23000 + K, K counting the reads of each per unit, so every answer
carries its own values; each request is logged on stderr as
"unit U 0xADDR #K MODE ea=VALUE v1=VALUE" (the values it carries).
"""
import argparse
import os
import select
import socket
import struct
import sys
import time
import tty

MAGIC = [0x0053, 0x004F, 0x0043, 0x004F]	# "SOCO", one char a word


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def ascii_words(text, n):
    raw = text.encode().ljust(2 * n, b"\0")[:2 * n]
    return [raw[2 * i] << 8 | raw[2 * i + 1] for i in range(n)]


def put32(img, addr, value):
    value &= 0xFFFFFFFF
    img[addr] = value >> 16
    img[addr + 1] = value & 0xFFFF


class Unit:
    """One E34-like unit: a register image and its request counters."""

    def __init__(self, unit):
        self.unit = unit
        self.count = {}		# (addr or None) -> requests seen
        self.ea_reads = 0
        self.v1_reads = 0
        img = {}
        for i, w in enumerate(MAGIC):
            img[0xC350 + i] = w
        img[0xC354] = 100
        img[0xC356] = 101
        img[0xC357] = 102
        img[0xC358] = 0x1234
        img[0xC359] = 0x5678
        img[0xC35A] = unit
        for i, w in enumerate(ascii_words("COUNTIS E34", 8)):
            img[0xC38A + i] = w
        for i, w in enumerate(ascii_words("SOCOMEC", 8)):
            img[0xC37A + i] = w
        for i, w in enumerate(ascii_words("COUNTIS", 8)):
            img[0xC382 + i] = w
        for a in (0xC552, 0xC554, 0xC556):
            put32(img, a, 40000)		# 400.00 V
        for a in (0xC558, 0xC55A, 0xC55C):
            put32(img, a, 23000)		# 230.00 V
        put32(img, 0xC55E, 5000)		# 50.00 Hz
        for a in (0xC560, 0xC562, 0xC564):
            put32(img, a, 10000)		# 10.000 A
        put32(img, 0xC568, 690)			# 6.90 kW
        put32(img, 0xC56C, 690)
        put32(img, 0xC56E, 1000)		# PF 1.000
        for a in (0xC570, 0xC572, 0xC574, 0xC57C, 0xC57E, 0xC580):
            put32(img, a, 230)
        for a in (0xC582, 0xC584, 0xC586):
            put32(img, a, 1000)
        put32(img, 0xC704, 5000)
        img[0xC800] = 4
        img[0xC801] = 1
        put32(img, 0xC802, 1234500)
        img[0xE000] = 1
        img[0xE001] = 5
        img[0xE002] = 100
        for i, w in enumerate([1, 1, 24, 12, 0, 0]):	# 1/1/24 12:00:00
            img[0xE100 + i] = w
        self.img = img

    def words(self, addr, n):
        """The words at addr; Ea+ and V1 move at every read of them."""
        if addr <= 0xC702 < addr + n:
            self.ea_reads += 1
            put32(self.img, 0xC702, 1234500 + self.ea_reads)
        if addr <= 0xC558 < addr + n:
            self.v1_reads += 1
            put32(self.img, 0xC558, 23000 + self.v1_reads)
        return [self.img.get(addr + i, 0) for i in range(n)]

    def marks(self, addr, n):
        """What a read at addr carries of the moving values, for the log."""
        m = []
        if addr <= 0xC702 < addr + n:
            m.append("ea=%d" % (self.img[0xC702] << 16 | self.img[0xC703]))
        if addr <= 0xC558 < addr + n:
            m.append("v1=%d" % (self.img[0xC558] << 16 | self.img[0xC559]))
        return " ".join(m) or "-"


class Fault:
    def __init__(self, spec):
        self.spec = spec
        unit, rest = spec.split(":", 1)
        self.unit = int(unit)
        self.first, self.last = 1, None
        if "#" in rest:
            rest, sel = rest.split("#", 1)
            if sel.endswith("-"):
                self.first, self.last = int(sel[:-1]), None
            elif "-" in sel:
                a, b = sel.split("-", 1)
                self.first, self.last = int(a), int(b)
            else:
                self.first = self.last = int(sel)
        self.addr = None
        if "@" in rest:
            rest, a = rest.split("@", 1)
            self.addr = int(a, 0)
        self.mode, _, arg = rest.partition("=")
        self.arg = int(arg, 0) if arg else None
        if self.mode not in ("late", "twice", "stray", "unit", "exception",
                             "trickle", "silent", "halfopen"):
            raise ValueError("unknown fault mode %r in %r" % (self.mode, spec))

    def applies(self, unit, addr, k):
        return (unit == self.unit and (self.addr is None or addr == self.addr)
                and k >= self.first and (self.last is None or k <= self.last))


class Peer:
    def __init__(self, args):
        self.units = {u: Unit(u) for u in args.units}
        self.faults = [Fault(s) for s in args.fault]
        self.control = args.control
        self.control_mtime = None

    def reload(self):
        if not self.control:
            return
        try:
            mt = os.stat(self.control).st_mtime_ns
        except OSError:
            return
        if mt == self.control_mtime:
            return
        self.control_mtime = mt
        with open(self.control) as f:
            self.faults = [Fault(l.strip()) for l in f
                           if l.strip() and not l.startswith("#")]
        log("control: %d faults" % len(self.faults))

    def fault_for(self, unit, addr):
        """Count the request; the fault that applies to it, or None."""
        u = self.units[unit]
        u.count[None] = u.count.get(None, 0) + 1
        u.count[addr] = u.count.get(addr, 0) + 1
        for f in self.faults:
            k = u.count[None] if f.addr is None else u.count[addr]
            if f.applies(unit, addr, k):
                return f, k
        return None, u.count[addr]

    def answer(self, unit, pdu):
        """(answer PDU, address, what it carries), or None."""
        u = self.units.get(unit)
        if u is None or len(pdu) < 5:
            return None
        fc = pdu[0]
        addr, n = struct.unpack(">HH", pdu[1:5])
        if fc == 3 and 1 <= n <= 125:
            w = u.words(addr, n)
            return (bytes([3, 2 * n]) + struct.pack(">%dH" % n, *w), addr,
                    u.marks(addr, n))
        if fc in (6, 16):
            return bytes(pdu[:5]), addr, "-"
        return bytes([fc | 0x80, 1]), addr, "-"

    @staticmethod
    def bogus(pdu, words=None):
        """An FC03 answer (words words, default as pdu) with 0x05F5E0FF,
        999999.99 kWh, in every 32-bit pair."""
        if pdu[0] != 3:
            return pdu
        n = words or pdu[1] // 2
        w = [0x05F5 if i % 2 == 0 else 0xE0FF for i in range(n)]
        return bytes([3, 2 * n]) + struct.pack(">%dH" % n, *w)


class TcpServer:
    def __init__(self, peer, host, port):
        self.peer = peer
        self.ls = socket.socket(socket.AF_INET6 if ":" in host
                                else socket.AF_INET)
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind((host, port))
        self.ls.listen(8)
        self.conns = {}		# socket -> [buffer, silent, number]
        self.nconn = 0
        log("serving tcp %s:%d" % (host, port))

    def run(self):
        while True:
            r, _, _ = select.select([self.ls] + list(self.conns), [], [])
            for s in r:
                if s is self.ls:
                    c, _ = self.ls.accept()
                    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.nconn += 1
                    self.conns[c] = [b"", False, self.nconn]
                    log("connection %d" % self.nconn)
                    continue
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    log("connection %d closed" % self.conns[s][2])
                    del self.conns[s]
                    s.close()
                    continue
                self.conns[s][0] += data
                self.frames(s)

    def frames(self, s):
        st = self.conns[s]
        while len(st[0]) >= 7:
            tid, proto, length, unit = struct.unpack(">HHHB", st[0][:7])
            if len(st[0]) < 6 + length:
                return
            pdu, st[0] = st[0][7:6 + length], st[0][6 + length:]
            if st[1]:
                log("connection %d silent: request ignored" % st[2])
                continue
            self.peer.reload()
            self.request(s, st, tid, unit, pdu)

    def request(self, s, st, tid, unit, pdu):
        got = self.peer.answer(unit, pdu)
        if got is None:
            return
        rsp, addr, marks = got
        f, k = self.peer.fault_for(unit, addr)
        log("unit %d 0x%04X #%d %s %s" % (unit, addr, k,
                                          f.spec if f else "ok", marks))
        out_unit = unit

        def mbap(t, u, p):
            return struct.pack(">HHHB", t, 0, len(p) + 1, u) + p

        if f is None:
            s.sendall(mbap(tid, out_unit, rsp))
        elif f.mode == "late":
            time.sleep(f.arg / 1000.0)
            s.sendall(mbap(tid, unit, rsp))
        elif f.mode == "twice":
            s.sendall(mbap(tid, unit, rsp))
            s.sendall(mbap(tid, unit, rsp))
        elif f.mode == "stray":
            s.sendall(mbap(tid ^ 0x5A5A, unit, Peer.bogus(rsp)))
            s.sendall(mbap(tid, unit, rsp))
        elif f.mode == "unit":
            s.sendall(mbap(tid, f.arg, rsp))
        elif f.mode == "exception":
            s.sendall(mbap(tid, unit, bytes([pdu[0] | 0x80, f.arg & 0xFF])))
        elif f.mode == "trickle":
            for b in mbap(tid, unit, rsp):
                s.sendall(bytes([b]))
                time.sleep(f.arg / 1000.0)
        elif f.mode == "halfopen":
            st[1] = True
            log("connection %d goes silent, socket kept" % st[2])
        # silent: nothing


class RtuServer:
    def __init__(self, peer, link):
        self.peer = peer
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        name = os.ttyname(self.slave)
        try:
            os.unlink(link)
        except FileNotFoundError:
            pass
        os.symlink(name, link + ".new")
        os.rename(link + ".new", link)
        self.buf = b""
        log("serving pty %s (%s)" % (link, name))

    def send(self, unit, pdu, pace_ms=0):
        adu = bytes([unit]) + pdu
        adu += struct.pack("<H", crc16(adu))
        if not pace_ms:
            os.write(self.master, adu)
            return
        for b in adu:
            os.write(self.master, bytes([b]))
            time.sleep(pace_ms / 1000.0)

    def run(self):
        while True:
            select.select([self.master], [], [])
            try:
                self.buf += os.read(self.master, 4096)
            except OSError:
                time.sleep(0.01)
                continue
            self.frames()

    def frames(self):
        while len(self.buf) >= 8:
            fc = self.buf[1]
            n = 9 + self.buf[6] if fc == 16 and len(self.buf) >= 7 else 8
            if len(self.buf) < n:
                return
            adu, rest = self.buf[:n], self.buf[n:]
            if crc16(adu[:-2]) != struct.unpack("<H", adu[-2:])[0]:
                self.buf = self.buf[1:]		# resynchronise
                continue
            self.buf = rest
            self.peer.reload()
            self.request(adu[0], adu[1:-2])

    def request(self, unit, pdu):
        got = self.peer.answer(unit, pdu)
        if got is None:
            return
        rsp, addr, marks = got
        f, k = self.peer.fault_for(unit, addr)
        log("unit %d 0x%04X #%d %s %s" % (unit, addr, k,
                                          f.spec if f else "ok", marks))
        if f is None:
            self.send(unit, rsp)
        elif f.mode == "late":
            time.sleep(f.arg / 1000.0)
            self.send(unit, rsp)
        elif f.mode == "twice":
            self.send(unit, rsp)
            self.send(unit, rsp)
        elif f.mode == "stray":
            self.send(247 - unit, Peer.bogus(rsp))
            self.send(unit, rsp)
            time.sleep(0.02)
            self.send(unit, Peer.bogus(rsp, f.arg))
        elif f.mode == "unit":
            self.send(f.arg, rsp)
        elif f.mode == "exception":
            self.send(unit, bytes([pdu[0] | 0x80, f.arg & 0xFF]))
        elif f.mode == "trickle":
            self.send(unit, rsp, f.arg)
        # silent, halfopen: nothing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--tcp", metavar="HOST:PORT")
    g.add_argument("--pty", metavar="LINK")
    ap.add_argument("--units", required=True,
                    type=lambda s: [int(u) for u in s.split(",")])
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("--control", metavar="FILE")
    args = ap.parse_args()
    peer = Peer(args)
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        srv = TcpServer(peer, host.strip("[]"), int(port))
    else:
        srv = RtuServer(peer, args.pty)
    try:
        srv.run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
