#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# vpc_add_raw.py NAME ACCOUNT ADDR PLEN ZONE: send a VPC_ADD request with
# exactly these attributes straight to the privlink family (no plctl, whose
# own checks would refuse some of them first) and print the kernel's answer:
# "0" or "-ERRNO MESSAGE" (the extended ACK's text).  For the tests of the
# kernel's own checks (vpcs.sh: zone 0).
import socket
import struct
import sys

from genl_raw import nla, nest, privlink_request

# include/uapi/linux/privlink.h
PRIVLINK_CMD_VPC_ADD = 6
PRIVLINK_A_VPC = 3
VPC_NAME, VPC_ACCOUNT, VPC_CIDR_ADDR, VPC_CIDR_PLEN, VPC_ZONE = 1, 2, 3, 4, 7


def main():
    name, account, addr, plen, zone = sys.argv[1:6]
    print(privlink_request(PRIVLINK_CMD_VPC_ADD, nest(
        PRIVLINK_A_VPC,
        nla(VPC_NAME, name.encode() + b"\0"),
        nla(VPC_ACCOUNT, account.encode() + b"\0"),
        nla(VPC_CIDR_ADDR, socket.inet_aton(addr)),
        nla(VPC_CIDR_PLEN, struct.pack("B", int(plen))),
        nla(VPC_ZONE, struct.pack("H", int(zone))))))
    return 0


sys.exit(main())
