#!/usr/bin/python3
"""lcwalk.py: page through a meter's load curve with pymodbus 3.0, the way
register map section 9 says (0x0001 to 0xF000, read 0xF010 x 122, 0xFFFE,
read again), and print what was found, one fact per line, for the shell
tests to check:

    lcwalk.py --rtu PATH | --tcp HOST:PORT [--unit N] [--max-blocks N]

Output lines:
    header COUNT SIZE PERIOD UNIT NUM DEN     of the first block
    block K COUNT NEWEST OLDEST              per block (dates in s2000)
    order newest-first|other                 within every block
    records N                                all blocks together
    spacing P                                most common date step
    gaps G                                   steps longer than P
    after-gap-flag F                         flag of the first record after
                                             each gap (space separated)
    incomplete I                             records flagged 1
    continuous yes|no                        block k+1 starts right below k
    past-end COUNT                           count of the block after the
                                             last one holding records
Exit 1 with "error TEXT" when a request fails.
"""
import argparse
import collections
import sys

from pymodbus.client import ModbusSerialClient, ModbusTcpClient

LC_COMMAND = 0xF000
LC_BLOCK = 0xF010
LC_WORDS = 122


def command(client, unit, value):
    rsp = client.write_registers(LC_COMMAND, [value], slave=unit)
    if rsp.isError():
        raise RuntimeError("write 0x%04X to 0xF000: %s" % (value, rsp))


def block(client, unit):
    rsp = client.read_holding_registers(LC_BLOCK, LC_WORDS, slave=unit)
    if rsp.isError():
        raise RuntimeError("read 0xF010 x122: %s" % rsp)
    w = rsp.registers
    recs = []
    for k in range(w[0]):
        r = w[6 + 4 * k: 10 + 4 * k]
        recs.append(((r[0] << 16) | r[1], r[2], r[3]))
    return w[:6], recs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rtu")
    ap.add_argument("--tcp")
    ap.add_argument("--unit", type=int, default=1)
    ap.add_argument("--max-blocks", type=int, default=200)
    o = ap.parse_args()
    if o.rtu:
        c = ModbusSerialClient(o.rtu, baudrate=19200, parity="N",
                               stopbits=1, timeout=2, retries=2)
    else:
        host, port = o.tcp.rsplit(":", 1)
        c = ModbusTcpClient(host, port=int(port), timeout=2, retries=2)
    if not c.connect():
        print("error cannot connect")
        return 1
    try:
        command(c, o.unit, 0x0001)
        header, recs = block(c, o.unit)
        print("header " + " ".join(str(x) for x in header))
        blocks = [recs]
        while recs and len(blocks) < o.max_blocks:
            command(c, o.unit, 0xFFFE)
            _, recs = block(c, o.unit)
            blocks.append(recs)
        past_end = len(recs)
    except RuntimeError as exc:
        print("error " + str(exc))
        return 1
    finally:
        c.close()
    order = "newest-first"
    continuous = "yes"
    allrecs = []
    for k, b in enumerate(blocks):
        if b:
            print("block %d %d %d %d" % (k, len(b), b[0][0], b[-1][0]))
        if any(b[i][0] <= b[i + 1][0] for i in range(len(b) - 1)):
            order = "other"
        if allrecs and b and b[0][0] >= allrecs[-1][0]:
            continuous = "no"
        allrecs.extend(b)
    steps = [allrecs[i][0] - allrecs[i + 1][0] for i in range(len(allrecs) - 1)]
    spacing = collections.Counter(steps).most_common(1)[0][0] if steps else 0
    gaps = [i for i, s in enumerate(steps) if s > spacing]
    print("order " + order)
    print("records %d" % len(allrecs))
    print("spacing %d" % spacing)
    print("gaps %d" % len(gaps))
    print("after-gap-flag " + " ".join(str(allrecs[i][1]) for i in gaps))
    print("incomplete %d" % sum(1 for r in allrecs if r[1]))
    print("continuous " + continuous)
    print("past-end %d" % past_end)
    return 0


if __name__ == "__main__":
    sys.exit(main())
