#!/usr/bin/python3
"""hostile.py: a Modbus peer that misbehaves on request, for the wire tests.

It serves E34-like answers (identification, metrology, energies, tariffs,
clock) over Modbus TCP (real ports), Modbus RTU (pseudo-terminals) or RTU
over TCP (real ports carrying RTU frames, CRC included, as a serial-to-
Ethernet converter does), with frames built by hand, and shares nothing
with countis-sim: it is the independent side of the conversation. One
process can serve several lines (--tcp, --pty and --rtu-tcp repeat; the
units are the same on each, so give each line its own unit ids) and never
blocks: late, trickled and paced bytes are
scheduled, so one slow answer holds up no other line. Each fault is one
mode, chosen per unit and per request on the command line (--fault) or in a
control file (--control, re-read when it changes, so a fault can be switched
on and cleared at run time), so a fault matrix can grow a mode at a time:

  --fault UNIT:MODE[=ARG][@ADDR|^ADDR][#N|#N-|#N-M]

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
            spread=MS     the answer's bytes spread evenly over MS ms (the
                          last byte MS ms after the first)
            silent        no answer
            halfopen      TCP, RTU over TCP: this connection never answers
                          again (the socket stays open); new connections
                          are served
            garbage[=N]   N bytes of noise (default 12) instead of the answer
            truncate      the first half of the answer, then nothing
            fc=N          the answer with function code N
            badcount[=D]  an FC03 answer whose byte count is D (default 2)
                          more than the data it carries
            previous      the unit's last answer to another address (with
                          its transaction id on TCP), as if it came late,
                          instead of this one's
            reset         TCP, RTU over TCP: the connection is reset (RST),
                          no answer
            badcrc        RTU, RTU over TCP: the answer with its CRC wrong
            close         TCP, RTU over TCP: the answer twice, then the
                          connection closed (FIN), as a converter that
                          drops it with bytes still in flight; the peer
                          goes on reading it only to log "request MS ms
                          after its FIN" for what still comes
            mbap65535     TCP: an MBAP header of length 65535, then the PDU
            sentinel      every value "not available": 0xFFFF, 0xFFFFFFFF,
                          0x7FFF, 0x7FFFFFFF by the register's type
            backwards[=D] Ea+ total (0xC702) D lower than the last answer's
                          (default 100000, 1000 kWh)
            tsum[=D]      T1 (0xC802) D higher (default 100000): T1..T4 no
                          longer add up to the total
            negfreq       the frequency (0xC55E, U32) reads -50.00 Hz
  @ADDR     only requests starting at ADDR (0xC702, or decimal)
  ^ADDR     every request, counted by the requests at ADDR so far: with
            the first address of a poll cycle, #N-M are cycles N to M
  #N        only the Nth request of that unit (and ADDR); N- from the Nth
            on; N-M the Nth to the Mth. Default: every request.

The energy counter Ea+ (0xC702, 10 Wh) and T1 (0xC802) are 1234500 + K and
V1 (0xC558, 10 mV) 23000 + K, K counting the reads of each per unit, so
every answer carries its own values; each request is logged on stderr as
"unit U 0xADDR #K MODE ea=VALUE v1=VALUE" (the values it carries).
--baud B paces RTU answers at B bits per second (10 bits a character),
over RTU over TCP too (the converter's serial line). RTU over TCP marks no
frame boundaries: requests are cut from the stream by their length (8
bytes, FC16 9 + its byte count) and answered by the same RTU code as a
pty's, so every RTU fault applies there; of the TCP faults, the
connection's own (reset, halfopen, close) apply too, mbap65535 does not
(no answer, as on a pty).
"""
import argparse
import heapq
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
            put32(self.img, 0xC802, 1234500 + self.ea_reads)	# T1 = total
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


MODES = ("late", "twice", "stray", "unit", "exception", "trickle", "spread",
         "silent", "halfopen", "garbage", "truncate", "fc", "badcount",
         "previous", "reset", "mbap65535", "sentinel", "backwards", "tsum",
         "negfreq", "badcrc", "close")
# modes that change the values of a valid answer (Peer.values)
VALUE_MODES = ("sentinel", "backwards", "tsum", "negfreq")


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
        self.addr = self.by = None
        if "@" in rest:
            rest, a = rest.split("@", 1)
            self.addr = int(a, 0)
        elif "^" in rest:
            rest, a = rest.split("^", 1)
            self.by = int(a, 0)
        self.mode, _, arg = rest.partition("=")
        self.arg = int(arg, 0) if arg else None
        if self.mode not in MODES:
            raise ValueError("unknown fault mode %r in %r" % (self.mode, spec))

    def applies(self, unit, addr, k):
        return (unit == self.unit and (self.addr is None or addr == self.addr)
                and k >= self.first and (self.last is None or k <= self.last))


def load_types(path):
    """Word address -> (type, index in the register) from the map."""
    types = {}
    try:
        with open(path) as f:
            next(f)
            for line in f:
                c = line.split("\t")
                if len(c) < 4 or not c[0].isdigit():
                    continue
                a, n = int(c[0]), int(c[2])
                for j in range(n):
                    types.setdefault(a + j, (c[3], j))
    except OSError:
        pass
    return types


def keep_answer(prev, unit, addr, what):
    """Remember what answered unit's request at addr (newest first)."""
    lst = [p for p in prev.get(unit, []) if p[0] != addr]
    prev[unit] = [(addr, what)] + lst[:3]


def other_answer(prev, unit, addr):
    """The unit's last answer to another address, or None (a pair of
    Nones on TCP)."""
    for a, what in prev.get(unit, []):
        if a != addr:
            return what
    return None


class Loop:
    """Timers over select: nothing in the peer sleeps."""

    def __init__(self):
        self.timers = []
        self.seq = 0
        self.readers = {}	# fd or socket -> callback

    def at(self, when, fn):
        self.seq += 1
        heapq.heappush(self.timers, (when, self.seq, fn))

    def later(self, ms, fn):
        self.at(time.monotonic() + ms / 1000.0, fn)

    def run(self):
        while True:
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, _, fn = heapq.heappop(self.timers)
                fn()
                now = time.monotonic()
            wait = self.timers[0][0] - now if self.timers else None
            r, _, _ = select.select(list(self.readers), [], [], wait)
            for s in r:
                cb = self.readers.get(s)
                if cb is not None:
                    cb(s)


class Peer:
    def __init__(self, args):
        self.units = {u: Unit(u) for u in args.units}
        self.faults = [Fault(s) for s in args.fault]
        self.control = args.control
        self.control_mtime = None
        self.types = load_types(args.map)

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
            k = (u.count.get(f.by, 0) if f.by is not None else
                 u.count[None] if f.addr is None else u.count[addr])
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

    def serve(self, unit, pdu):
        """answer() with its fault counted and logged: (answer PDU,
        address, fault or None), or None."""
        got = self.answer(unit, pdu)
        if got is None:
            return None
        rsp, addr, marks = got
        f, k = self.fault_for(unit, addr)
        log("unit %d 0x%04X #%d %s %s" % (unit, addr, k,
                                          f.spec if f else "ok", marks))
        return rsp, addr, f

    def values(self, f, rsp, addr):
        """rsp (an FC03 answer at addr) with the values fault f makes."""
        if rsp[0] != 3:
            return rsp
        n = rsp[1] // 2
        w = list(struct.unpack(">%dH" % n, rsp[2:]))

        def get32(a):
            i = a - addr
            return w[i] << 16 | w[i + 1] if 0 <= i < n - 1 else None

        def set32(a, v):
            i = a - addr
            if 0 <= i < n - 1:
                v &= 0xFFFFFFFF
                w[i], w[i + 1] = v >> 16, v & 0xFFFF

        if f.mode == "sentinel":
            for i in range(n):
                t, j = self.types.get(addr + i, ("U16", 0))
                if t in ("S16", "S32") and j == 0:
                    w[i] = 0x7FFF
                elif t in ("U8", "U16", "S16", "U32", "S32"):
                    w[i] = 0xFFFF
        elif f.mode == "backwards" and get32(0xC702) is not None:
            set32(0xC702, get32(0xC702) - (f.arg or 100000))
        elif f.mode == "tsum" and get32(0xC802) is not None:
            set32(0xC802, get32(0xC802) + (f.arg or 100000))
        elif f.mode == "negfreq":
            set32(0xC55E, -5000)
        return bytes([3, 2 * n]) + struct.pack(">%dH" % n, *w)

    @staticmethod
    def bogus(pdu, words=None):
        """An FC03 answer (words words, default as pdu) with 0x05F5E0FF,
        999999.99 kWh, in every 32-bit pair."""
        if pdu[0] != 3:
            return pdu
        n = words or pdu[1] // 2
        w = [0x05F5 if i % 2 == 0 else 0xE0FF for i in range(n)]
        return bytes([3, 2 * n]) + struct.pack(">%dH" % n, *w)

    @staticmethod
    def garbage(n):
        """n bytes of noise, the same every time (no CRC, no MBAP)."""
        return bytes((0xA5 ^ (i * 37)) & 0xFF for i in range(n or 12))

    def plan(self, f, unit, pdu, rsp, prev):
        """What fault f makes of the answer rsp to pdu, as a list of
        (delay ms, unit id, PDU, per-byte ms or None); prev is the unit's
        previous answer PDU. Modes of one transport only are the caller's."""
        if f is None:
            return [(0, unit, rsp, None)]
        m, a = f.mode, f.arg
        if m in VALUE_MODES:
            return [(0, unit, self.values(f, rsp, struct.unpack(
                ">H", pdu[1:3])[0]), None)]
        if m == "late":
            return [(a, unit, rsp, None)]
        if m == "twice":
            return [(0, unit, rsp, None), (0, unit, rsp, None)]
        if m == "unit":
            return [(0, a, rsp, None)]
        if m == "exception":
            return [(0, unit, bytes([pdu[0] | 0x80, a & 0xFF]), None)]
        if m == "trickle":
            return [(0, unit, rsp, a)]
        if m == "fc":
            return [(0, unit, bytes([a & 0xFF]) + rsp[1:], None)]
        if m == "badcount" and rsp[0] == 3:
            return [(0, unit, bytes([3, (rsp[1] + (a or 2)) & 0xFF]) +
                     rsp[2:], None)]
        if m == "previous":
            return [(0, unit, prev, None)] if prev else []
        return [(0, unit, rsp, None)]


class TcpServer:
    """Modbus TCP: MBAP frames on every connection of a listening port."""
    KIND = "tcp"

    def __init__(self, peer, loop, host, port):
        self.peer = peer
        self.loop = loop
        self.ls = socket.socket(socket.AF_INET6 if ":" in host
                                else socket.AF_INET)
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind((host, port))
        self.ls.listen(8)
        self.conns = {}		# socket -> [buffer, silent, number, FIN time]
        self.nconn = 0
        self.prev = {}		# unit -> [(addr, (tid, answer PDU))], newest first
        loop.readers[self.ls] = self.accept
        log("serving %s %s:%d" % (self.KIND, host, port))

    def accept(self, _):
        c, _ = self.ls.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.nconn += 1
        self.conns[c] = [b"", False, self.nconn, None]
        self.loop.readers[c] = self.readable
        log("connection %d" % self.nconn)

    def drop(self, s, why):
        if s in self.conns:
            log("connection %d %s" % (self.conns[s][2], why))
            del self.conns[s]
        self.loop.readers.pop(s, None)
        s.close()

    def readable(self, s):
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if not data:
            self.drop(s, "closed")
            return
        self.conns[s][0] += data
        self.frames(s)

    def send(self, s, data, at=None):
        """Send data on s now, or at the monotonic time at."""
        def go():
            if s not in self.conns:
                return
            try:
                s.sendall(data)
            except OSError:
                pass
        if at is None:
            go()
        else:
            self.loop.at(at, go)

    def link_fault(self, s, mode):
        """The connection's own faults (halfopen, reset); True when mode
        is one of them and the request is dealt with."""
        st = self.conns[s]
        if mode == "halfopen":
            st[1] = True
            log("connection %d goes silent, socket kept" % st[2])
            return True
        if mode == "reset":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            self.drop(s, "reset")
            return True
        return False

    def fin(self, s):
        """Close our side of s (FIN); the peer reads on, to log what still
        comes (ignored) and how long after the FIN."""
        st = self.conns.get(s)
        if st is None or st[3] is not None:
            return
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        st[3] = time.monotonic()
        log("connection %d closed (FIN)" % st[2])

    def ignored(self, st):
        """True when requests on this connection go unanswered (half-open,
        or closed by us), logged."""
        if st[3] is not None:
            log("connection %d: request %d ms after its FIN" %
                (st[2], (time.monotonic() - st[3]) * 1000))
            return True
        if st[1]:
            log("connection %d silent: request ignored" % st[2])
            return True
        return False

    def frames(self, s):
        st = self.conns[s]
        while len(st[0]) >= 7:
            tid, proto, length, unit = struct.unpack(">HHHB", st[0][:7])
            if len(st[0]) < 6 + length:
                return
            pdu, st[0] = st[0][7:6 + length], st[0][6 + length:]
            if self.ignored(st):
                continue
            self.peer.reload()
            self.request(s, tid, unit, pdu)
            if s not in self.conns:
                return

    def request(self, s, tid, unit, pdu):
        got = self.peer.serve(unit, pdu)
        if got is None:
            return
        rsp, addr, f = got
        ptid, prsp = other_answer(self.prev, unit, addr) or (None, None)
        keep_answer(self.prev, unit, addr, (tid, rsp))

        def mbap(t, u, p):
            return struct.pack(">HHHB", t, 0, len(p) + 1, u) + p

        now = time.monotonic()
        mode = f.mode if f else None
        if mode == "stray":
            s.sendall(mbap(tid ^ 0x5A5A, unit, Peer.bogus(rsp)))
        if self.link_fault(s, mode):
            return
        if mode == "silent":
            return
        if mode == "garbage":
            self.send(s, Peer.garbage(f.arg))
            return
        if mode == "truncate":
            adu = mbap(tid, unit, rsp)
            self.send(s, adu[:max(8, len(adu) // 2)])
            return
        if mode == "mbap65535":
            self.send(s, struct.pack(">HHHB", tid, 0, 65535, unit) + rsp)
            return
        if mode == "close":
            self.send(s, mbap(tid, unit, rsp) * 2)
            self.fin(s)
            return
        if mode == "previous":
            if prsp is not None:
                self.send(s, mbap(ptid, unit, prsp))
            return
        if mode == "spread":
            adu = mbap(tid, unit, rsp)
            step = f.arg / 1000.0 / max(1, len(adu) - 1)
            for i, b in enumerate(adu):
                self.send(s, bytes([b]), now + i * step)
            return
        for delay, u, p, per_byte in self.peer.plan(f, unit, pdu, rsp, prsp):
            adu = mbap(tid, u, p)
            t = now + delay / 1000.0
            if per_byte is None:
                self.send(s, adu, t if delay else None)
                continue
            for i, b in enumerate(adu):
                self.send(s, bytes([b]), t + i * per_byte / 1000.0)


class RtuLine:
    """RTU framing and the RTU faults, whatever carries the bytes: a
    pseudo-terminal (RtuServer) or the connections of a serial-to-Ethernet
    converter (RtuTcpServer). One line: answers are paced at its speed one
    after the other, whoever asked."""

    def __init__(self, peer, loop, baud):
        self.peer = peer
        self.loop = loop
        self.char_s = 10.0 / baud if baud else 0.0
        self.wire_free = 0.0	# when the last scheduled byte is out
        self.prev = {}		# unit -> [(addr, answer PDU)], newest first

    def emit(self, out, data, at, per_byte_s=None):
        """Hand data to out from the monotonic time at: per_byte_s apart,
        else at the line's pace, else at once (in chunks of about 10 ms
        of bytes)."""
        at = max(at, self.wire_free)
        step = per_byte_s if per_byte_s is not None else self.char_s
        if step <= 0:
            self.loop.at(at, lambda d=data: out(d))
            return
        chunk = max(1, int(0.010 / step))	# ~10 ms of bytes a write
        for i in range(0, len(data), chunk):
            self.loop.at(at + i * step, lambda d=data[i:i + chunk]: out(d))
        self.wire_free = at + len(data) * step

    @staticmethod
    def frame(unit, pdu):
        adu = bytes([unit]) + pdu
        return adu + struct.pack("<H", crc16(adu))

    @staticmethod
    def cut(buf):
        """The whole requests at the start of buf, cut by their length
        (nothing else marks where one ends on a stream), and what is left:
        a read or FC06 is 8 bytes, FC16 9 + its byte count. Bytes whose
        CRC does not check are dropped one at a time (resynchronise)."""
        adus = []
        while len(buf) >= 8:
            fc = buf[1]
            n = 9 + buf[6] if fc == 16 and len(buf) >= 7 else 8
            if len(buf) < n:
                break
            adu = buf[:n]
            if crc16(adu[:-2]) != struct.unpack("<H", adu[-2:])[0]:
                buf = buf[1:]
                continue
            adus.append(adu)
            buf = buf[n:]
        return adus, buf

    def request(self, out, unit, pdu, link=None):
        """Answer one request through out(bytes), with its fault; link,
        the TCP connection's (None on a pty): link.fault(mode) takes its
        own faults (reset, halfopen) and says True when it dealt with the
        request, link.fin() closes it (FIN)."""
        got = self.peer.serve(unit, pdu)
        if got is None:
            return
        rsp, addr, f = got
        prev = other_answer(self.prev, unit, addr)
        keep_answer(self.prev, unit, addr, rsp)
        now = time.monotonic()
        mode = f.mode if f else None
        if link is not None and link.fault(mode):
            return
        if mode in ("silent", "halfopen", "reset", "mbap65535") or \
                (mode == "close" and link is None):
            return
        if mode == "stray":
            self.emit(out, self.frame(247 - unit, Peer.bogus(rsp)), now)
            self.emit(out, self.frame(unit, rsp), now)
            self.emit(out, self.frame(unit, Peer.bogus(rsp, f.arg)),
                      self.wire_free + 0.02)
            return
        if mode == "twice":	# back to back, as a slave on a wire would
            self.emit(out, self.frame(unit, rsp) * 2, now)
            return
        if mode == "close":	# twice, then FIN once the bytes are out
            self.emit(out, self.frame(unit, rsp) * 2, now)
            self.loop.at(max(now, self.wire_free), link.fin)
            return
        if mode == "garbage":
            self.emit(out, Peer.garbage(f.arg), now)
            return
        if mode == "truncate":
            adu = self.frame(unit, rsp)
            self.emit(out, adu[:len(adu) // 2], now)
            return
        if mode == "spread":
            adu = self.frame(unit, rsp)
            self.emit(out, adu, now, f.arg / 1000.0 / max(1, len(adu) - 1))
            return
        if mode == "badcrc":
            adu = self.frame(unit, rsp)
            self.emit(out, adu[:-2] + bytes([adu[-2] ^ 0x5A, adu[-1]]), now)
            return
        for delay, u, p, per_byte in self.peer.plan(f, unit, pdu, rsp, prev):
            self.emit(out, self.frame(u, p), now + delay / 1000.0,
                      per_byte / 1000.0 if per_byte is not None else None)


class RtuServer:
    """Modbus RTU on a pseudo-terminal (LINK, a symbolic link to it)."""

    def __init__(self, peer, loop, link, baud):
        self.peer = peer
        self.line = RtuLine(peer, loop, baud)
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
        loop.readers[self.master] = self.readable
        log("serving pty %s (%s)" % (link, name))

    def write(self, data):
        try:
            os.write(self.master, data)
        except OSError:
            pass

    def readable(self, _):
        try:
            self.buf += os.read(self.master, 4096)
        except OSError:
            return
        adus, self.buf = RtuLine.cut(self.buf)
        for adu in adus:
            self.peer.reload()
            self.line.request(self.write, adu[0], adu[1:-2])


class RtuTcpServer(TcpServer):
    """RTU over TCP, a serial-to-Ethernet converter in its transparent
    mode: RTU frames, CRC included, on every connection of a listening
    port, no MBAP. Requests are cut from the stream by their length and
    answered by RtuLine (one serial line behind the port, paced at
    --baud), so every RTU fault applies; the connection's own faults
    (reset, halfopen) are TcpServer's."""
    KIND = "rtu-tcp"

    def __init__(self, peer, loop, host, port, baud):
        self.line = RtuLine(peer, loop, baud)
        TcpServer.__init__(self, peer, loop, host, port)

    class Link:
        """One connection's own faults, for RtuLine.request."""

        def __init__(self, server, s):
            self.fault = lambda mode: server.link_fault(s, mode)
            self.fin = lambda: server.fin(s)

    def frames(self, s):
        st = self.conns[s]
        adus, st[0] = RtuLine.cut(st[0])
        for adu in adus:
            if self.ignored(st):
                continue
            self.peer.reload()
            self.line.request(lambda d, s=s: self.send(s, d), adu[0],
                              adu[1:-2], RtuTcpServer.Link(self, s))
            if s not in self.conns:
                return


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tcp", metavar="HOST:PORT", action="append", default=[])
    ap.add_argument("--pty", metavar="LINK", action="append", default=[])
    ap.add_argument("--rtu-tcp", metavar="HOST:PORT", action="append",
                    default=[], help="RTU frames over TCP (a converter)")
    ap.add_argument("--baud", type=int, default=0,
                    help="pace RTU answers at this speed (default: at once)")
    ap.add_argument("--units", required=True,
                    type=lambda s: [int(u) for u in s.split(",")])
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("--control", metavar="FILE")
    ap.add_argument("--map", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "data",
        "e34-register-map.tsv"), help="register map, for sentinel's types")
    args = ap.parse_args()
    if not args.tcp and not args.pty and not args.rtu_tcp:
        ap.error("one --tcp, --pty or --rtu-tcp at least")
    peer = Peer(args)
    loop = Loop()
    for t in args.tcp:
        host, _, port = t.rpartition(":")
        TcpServer(peer, loop, host.strip("[]"), int(port))
    for link in args.pty:
        RtuServer(peer, loop, link, args.baud)
    for t in args.rtu_tcp:
        host, _, port = t.rpartition(":")
        RtuTcpServer(peer, loop, host.strip("[]"), int(port), args.baud)
    try:
        loop.run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
