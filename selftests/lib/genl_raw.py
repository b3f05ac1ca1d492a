# SPDX-License-Identifier: GPL-2.0
#
# A raw generic netlink request to the privlink family, with no plctl in
# between (plctl's own checks would refuse some requests first, and it has
# no command for some of them): the tests of the kernel's own checks build
# attributes with nla() and read the kernel's answer with privlink_request().
import socket
import struct

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


def nla(kind, data):
    n = 4 + len(data)
    return struct.pack("HH", n, kind) + data + b"\0" * (-n % 4)


def nest(kind, *members):
    return nla(kind | NLA_F_NESTED, b"".join(members))


def attrs(buf):
    while len(buf) >= 4:
        n, kind = struct.unpack_from("HH", buf)
        if n < 4:
            break
        yield kind & ~NLA_F_NESTED, buf[4:n]
        buf = buf[(n + 3) & ~3:]


def _send(sk, family, cmd, payload, flags):
    body = struct.pack("BBH", cmd, 1, 0) + payload
    sk.send(struct.pack("IHHII", 16 + len(body), family, flags, 1, 0) + body)
    return sk.recv(65536)


def privlink_request(cmd, payload):
    """Send one request; "0" or "-ERRNO MESSAGE" (the extended ACK's text)."""
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    # no ACK asked: it would be read as the answer to the request
    reply = _send(sk, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                  nla(CTRL_ATTR_FAMILY_NAME, b"privlink\0"), NLM_F_REQUEST)
    family = None
    for kind, data in attrs(reply[20:]):
        if kind == CTRL_ATTR_FAMILY_ID:
            family = struct.unpack_from("H", data)[0]
    if family is None:
        return "no privlink family"
    reply = _send(sk, family, cmd, payload, NLM_F_REQUEST | NLM_F_ACK)
    _, kind = struct.unpack_from("IH", reply)
    if kind != NLMSG_ERROR:
        reply = sk.recv(65536)	# the reply object came first: the ACK
    err = struct.unpack_from("i", reply, 16)[0]
    msg = ""
    for kind, data in attrs(reply[36:]):	# after the capped request header
        if kind == NLMSGERR_ATTR_MSG:
            msg = data.rstrip(b"\0").decode()
    return str(err) if not msg else "%d %s" % (err, msg)
