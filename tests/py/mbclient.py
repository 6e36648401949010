#!/usr/bin/python3
"""mbclient.py: a small Modbus client on pymodbus 3.0 for countis-sim's tests.

Runs commands over one connection and prints one line per command, so shell
tests can compare text. Must run with /usr/bin/python3 ($PYTHON), which has
python3-pymodbus.

    mbclient.py (--rtu PATH [--baud B] [--parity N|E|O] [--stop 1|2]
                 | --tcp HOST:PORT) [--unit N] [--timeout S] CMD...

Commands (addresses and values in decimal or 0x hex):
    read ADDR COUNT        FC03: "ok W1 W2 ..." (decimal words)
    readinput ADDR COUNT   FC04, which an E34 does not have
    write ADDR VALUE       FC06: "ok"
    writem ADDR V1 V2...   FC16: "ok"
    unit N                 following commands go to unit N
Each command line may also print "exception N", "timeout" or
"error TEXT" (a CRC error shows as "error ..." or "timeout": pymodbus 3.0
discards a frame whose CRC fails and then waits for a good one).
With --time, every line ends with " ms=N", the wall time of the request.
"""
import argparse
import logging
import sys
import time

from pymodbus.client import ModbusSerialClient, ModbusTcpClient
from pymodbus.exceptions import ModbusException
from pymodbus.pdu import ExceptionResponse


def num(text):
    return int(text, 0)


def result_line(rsp, words=False):
    """The one-line text of a pymodbus response."""
    if isinstance(rsp, ExceptionResponse):
        return "exception %d" % rsp.exception_code
    if rsp is None:
        return "timeout"
    if rsp.isError():
        text = str(rsp)
        if "No Response" in text or "no response" in text.lower():
            return "timeout"
        return "error " + text.replace("\n", " ")
    if words:
        return "ok " + " ".join(str(w) for w in rsp.registers)
    return "ok"


def run(client, unit, cmd):
    """Run one command; returns its text."""
    op, args = cmd[0], [num(a) for a in cmd[1:]]
    if op == "read":
        return result_line(client.read_holding_registers(
            args[0], args[1], slave=unit), True)
    if op == "readinput":
        return result_line(client.read_input_registers(
            args[0], args[1], slave=unit), True)
    if op == "write":
        return result_line(client.write_register(args[0], args[1],
                                                  slave=unit))
    if op == "writem":
        return result_line(client.write_registers(args[0], args[1:],
                                                   slave=unit))
    raise ValueError("unknown command %r" % op)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rtu")
    ap.add_argument("--tcp")
    ap.add_argument("--baud", type=int, default=19200)
    ap.add_argument("--parity", default="N")
    ap.add_argument("--stop", type=int, default=1)
    ap.add_argument("--unit", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--time", action="store_true")
    ap.add_argument("cmds", nargs="+")
    o = ap.parse_args()
    logging.disable(logging.CRITICAL)	# pymodbus logs CRC trouble
    if o.rtu:
        client = ModbusSerialClient(o.rtu, baudrate=o.baud, parity=o.parity,
                                    stopbits=o.stop, bytesize=8,
                                    timeout=o.timeout, retries=0)
    else:
        host, port = o.tcp.rsplit(":", 1)
        client = ModbusTcpClient(host, port=int(port), timeout=o.timeout,
                                 retries=0)
    if not client.connect():
        print("error cannot connect")
        return 1
    unit = o.unit
    for text in o.cmds:
        cmd = text.split()
        if cmd[0] == "unit":
            unit = num(cmd[1])
            continue
        t0 = time.monotonic()
        try:
            line = run(client, unit, cmd)
        except ModbusException as exc:
            line = "error " + str(exc).replace("\n", " ")
        ms = (time.monotonic() - t0) * 1000
        if o.time:
            line += " ms=%d" % ms
        print(line, flush=True)
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
