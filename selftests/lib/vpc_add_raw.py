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

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG = 1
# include/uapi/linux/privlink.h
PRIVLINK_CMD_VPC_ADD = 6
PRIVLINK_A_VPC = 3
VPC_NAME, VPC_ACCOUNT, VPC_CIDR_ADDR, VPC_CIDR_PLEN, VPC_ZONE = 1, 2, 3, 4, 7


def nla(kind, data):
    n = 4 + len(data)
    return struct.pack("HH", n, kind) + data + b"\0" * (-n % 4)


def attrs(buf):
    while len(buf) >= 4:
        n, kind = struct.unpack_from("HH", buf)
        if n < 4:
            break
        yield kind & ~NLA_F_NESTED, buf[4:n]
        buf = buf[(n + 3) & ~3:]


def request(sk, family, cmd, payload, flags=NLM_F_REQUEST | NLM_F_ACK):
    body = struct.pack("BBH", cmd, 1, 0) + payload
    sk.send(struct.pack("IHHII", 16 + len(body), family, flags, 1, 0) + body)
    return sk.recv(65536)


def main():
    name, account, addr, plen, zone = sys.argv[1:6]
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    # no ACK asked: it would be read as the answer to VPC_ADD
    reply = request(sk, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                    nla(CTRL_ATTR_FAMILY_NAME, b"privlink\0"), NLM_F_REQUEST)
    family = None
    for kind, data in attrs(reply[20:]):
        if kind == CTRL_ATTR_FAMILY_ID:
            family = struct.unpack_from("H", data)[0]
    if family is None:
        print("no privlink family")
        return 1
    vpc = (nla(VPC_NAME, name.encode() + b"\0") +
           nla(VPC_ACCOUNT, account.encode() + b"\0") +
           nla(VPC_CIDR_ADDR, socket.inet_aton(addr)) +
           nla(VPC_CIDR_PLEN, struct.pack("B", int(plen))) +
           nla(VPC_ZONE, struct.pack("H", int(zone))))
    reply = request(sk, family, PRIVLINK_CMD_VPC_ADD,
                    nla(PRIVLINK_A_VPC | NLA_F_NESTED, vpc))
    _, kind = struct.unpack_from("IH", reply)
    if kind != NLMSG_ERROR:
        reply = sk.recv(65536)	# the reply object came first: the ACK
    err = struct.unpack_from("i", reply, 16)[0]
    msg = ""
    for kind, data in attrs(reply[36:]):	# after the capped request header
        if kind == NLMSGERR_ATTR_MSG:
            msg = data.rstrip(b"\0").decode()
    print(err if not msg else "%d %s" % (err, msg))
    return 0


sys.exit(main())
