#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# target_health_raw.py SERVICE ADDR PORT STATE REASON CODE [EXTRA]: send
# TARGET_SET with a HEALTH nest - what a health checker (plhealthd) sends -
# and print the kernel's answer: "0" or "-ERRNO MESSAGE".  STATE and REASON
# are the numbers of enum privlink_health_state / privlink_health_reason;
# STATE "-" leaves it out.  EXTRA: "weight" adds a WEIGHT (refused with a
# verdict), "add" sends the nest with TARGET_ADD instead (refused too).
import socket
import struct
import sys

from genl_raw import nla, nest, privlink_request

# include/uapi/linux/privlink.h
PRIVLINK_CMD_TARGET_ADD, PRIVLINK_CMD_TARGET_SET = 14, 16
PRIVLINK_A_TARGET = 5
T_SERVICE, T_ADDR, T_PORT, T_AZ, T_WEIGHT, T_HEALTH = 1, 2, 3, 4, 5, 8
H_STATE, H_REASON, H_CODE = 1, 2, 3


def main():
    service, addr, port, state, reason, code = sys.argv[1:7]
    extra = sys.argv[7] if len(sys.argv) > 7 else ""
    health = []
    if state != "-":
        health.append(nla(H_STATE, struct.pack("B", int(state))))
    health.append(nla(H_REASON, struct.pack("B", int(reason))))
    health.append(nla(H_CODE, struct.pack("H", int(code))))
    target = [nla(T_SERVICE, service.encode() + b"\0"),
              nla(T_ADDR, socket.inet_aton(addr)),
              nla(T_PORT, struct.pack("H", int(port))),
              nest(T_HEALTH, *health)]
    cmd = PRIVLINK_CMD_TARGET_SET
    if extra == "weight":
        target.append(nla(T_WEIGHT, struct.pack("H", 2)))
    elif extra == "add":
        cmd = PRIVLINK_CMD_TARGET_ADD
        target.append(nla(T_AZ, b"use1-az1\0"))
    print(privlink_request(cmd, nest(PRIVLINK_A_TARGET, *target)))
    return 0


sys.exit(main())
