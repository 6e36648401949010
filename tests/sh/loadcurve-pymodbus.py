#!/usr/bin/python3
# loadcurve-pymodbus.py: an independent read of a meter's load curve with
# pymodbus, paging exactly as the register map says (doc/register-map-
# sources.md §9): write 0x0001 to lc_command (FC16), read lc_record_count
# x 122, then 0xFFFE and read again until a block holds fewer than 29
# records. Addresses come from the TSV, not from the C code under test.
#
#   loadcurve-pymodbus.py TSV DEVICE UNIT [BAUD [PARITY [STOP]]]
#   loadcurve-pymodbus.py TSV tcp:HOST:PORT UNIT
#
# Prints the records as countis-tui exports them, oldest first:
#   time_local,time_utc,power_w,flag
# (time_utc from the local time in $TZ, as the console assumes), then a
# last line "# pages=N" on stderr.
import csv
import datetime
import sys
import time

from pymodbus.client import ModbusSerialClient, ModbusTcpClient


def addr_of(tsv, name):
    with open(tsv, newline='') as f:
        for row in csv.DictReader(f, delimiter='\t'):
            if row['name'] == name:
                return int(row['address'])
    raise SystemExit('no %s in %s' % (name, tsv))


def main():
    tsv, dev, unit = sys.argv[1], sys.argv[2], int(sys.argv[3])
    baud = int(sys.argv[4]) if len(sys.argv) > 4 else 19200
    parity = sys.argv[5] if len(sys.argv) > 5 else 'N'
    stop = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    cmd = addr_of(tsv, 'lc_command')
    block = addr_of(tsv, 'lc_record_count')
    if dev.startswith('tcp:'):
        host, port = dev[4:].rsplit(':', 1)
        c = ModbusTcpClient(host, port=int(port), timeout=2)
    else:
        c = ModbusSerialClient(port=dev, baudrate=baud, parity=parity,
                               stopbits=stop, bytesize=8, timeout=2)
    if not c.connect():
        raise SystemExit('cannot open ' + dev)
    recs = {}
    pages = 0
    word = 0x0001
    while True:
        for attempt in range(5):
            w = c.write_registers(cmd, [word], slave=unit)
            if not w.isError():
                break
        else:
            raise SystemExit('write failed: %s' % w)
        for attempt in range(5):
            r = c.read_holding_registers(block, 122, slave=unit)
            if not r.isError():
                break
        else:
            raise SystemExit('read failed: %s' % r)
        regs = r.registers
        count, size, num, den = regs[0], regs[1], regs[4], regs[5]
        if num == 0 or den == 0:
            num = den = 1
        pages += 1
        for i in range(count):
            o = 6 + i * size
            t = regs[o] << 16 | regs[o + 1]
            if t == 0xFFFFFFFF:
                continue
            recs.setdefault(t, (regs[o + 2] & 0xFF, regs[o + 3], num, den))
        if count < 29:
            break
        word = 0xFFFE
    c.close()
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(['time_local', 'time_utc', 'power_w', 'flag'])
    epoch = datetime.datetime(2000, 1, 1)
    for t in sorted(recs):
        flag, raw, num, den = recs[t]
        local = epoch + datetime.timedelta(seconds=t)
        utc = datetime.datetime.fromtimestamp(
            time.mktime(local.timetuple()), datetime.timezone.utc)
        p = raw * num
        w = str(p // den) if p % den == 0 else '%.3f' % (p / den)
        out.writerow([local.strftime('%Y-%m-%d %H:%M:%S'),
                      utc.strftime('%Y-%m-%dT%H:%M:%SZ'), w, flag])
    print('# pages=%d' % pages, file=sys.stderr)


main()
