// SPDX-License-Identifier: GPL-2.0
/*
 * plctl: names of enum values and commands (see names.h).
 */
#include <stddef.h>
#include <netinet/in.h>

#include <linux/privlink.h>
#include "names.h"

const char *const az_state_names[] = {
	[PRIVLINK_AZ_UP]	= "up",
	[PRIVLINK_AZ_DOWN]	= "down",
	NULL
};

const char *const target_state_names[] = {
	[PRIVLINK_TARGET_HEALTHY]	= "healthy",
	[PRIVLINK_TARGET_UNHEALTHY]	= "unhealthy",
	[PRIVLINK_TARGET_DRAINING]	= "draining",
	NULL
};

const char *const endpoint_state_names[] = {
	[PRIVLINK_ENDPOINT_PENDING_ACCEPTANCE]	= "pendingAcceptance",
	[PRIVLINK_ENDPOINT_AVAILABLE]		= "available",
	[PRIVLINK_ENDPOINT_REJECTED]		= "rejected",
	[PRIVLINK_ENDPOINT_DELETING]		= "deleting",
	NULL
};

const char *const acceptance_names[] = {
	[PRIVLINK_ACCEPTANCE_AUTO]	= "auto",
	[PRIVLINK_ACCEPTANCE_REQUIRED]	= "required",
	NULL
};

const char *const onoff_names[] = { "off", "on", NULL };

const char *const check_proto_names[] = {
	[PRIVLINK_CHECK_NONE]	= "none",
	[PRIVLINK_CHECK_TCP]	= "tcp",
	[PRIVLINK_CHECK_HTTP]	= "http",
	NULL
};

const char *const health_state_names[] = {
	[PRIVLINK_HEALTH_INITIAL]	= "initial",
	[PRIVLINK_HEALTH_HEALTHY]	= "healthy",
	[PRIVLINK_HEALTH_UNHEALTHY]	= "unhealthy",
	NULL
};

const char *const health_reason_names[] = {
	[PRIVLINK_HEALTH_R_PASSED]		= "passed",
	[PRIVLINK_HEALTH_R_INITIAL]		= "initial",
	[PRIVLINK_HEALTH_R_TIMEOUT]		= "timeout",
	[PRIVLINK_HEALTH_R_REFUSED]		= "refused",
	[PRIVLINK_HEALTH_R_UNREACHABLE]		= "unreachable",
	[PRIVLINK_HEALTH_R_CODE_MISMATCH]	= "code-mismatch",
	[PRIVLINK_HEALTH_R_BAD_RESPONSE]	= "bad-response",
	[PRIVLINK_HEALTH_R_ERROR]		= "error",
	NULL
};

/* enum privlink_ip_type; 0 is no type (parse_keyword() refuses "") */
const char *const ip_type_names[] = {
	[0]			= "",
	[PRIVLINK_IP_V4]	= "ipv4",
	[PRIVLINK_IP_V6]	= "ipv6",
	[PRIVLINK_IP_DUALSTACK]	= "dualstack",
	NULL
};

const char *enum_name(const char *const *tbl, unsigned int v)
{
	unsigned int i;

	for (i = 0; tbl[i]; i++)
		if (i == v)
			return tbl[i];
	return "unknown";
}

const char *proto_name(unsigned int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	}
	return NULL;
}

static const char *const events[PRIVLINK_CMD_MAX + 1] = {
	[PRIVLINK_CMD_AZ_ADD]		= "az-add",
	[PRIVLINK_CMD_AZ_DEL]		= "az-del",
	[PRIVLINK_CMD_AZ_SET]		= "az-set",
	[PRIVLINK_CMD_VPC_ADD]		= "vpc-add",
	[PRIVLINK_CMD_VPC_DEL]		= "vpc-del",
	[PRIVLINK_CMD_VPC_SET]		= "vpc-set",
	[PRIVLINK_CMD_SERVICE_ADD]	= "service-add",
	[PRIVLINK_CMD_SERVICE_DEL]	= "service-del",
	[PRIVLINK_CMD_SERVICE_SET]	= "service-set",
	[PRIVLINK_CMD_TARGET_ADD]	= "target-add",
	[PRIVLINK_CMD_TARGET_DEL]	= "target-del",
	[PRIVLINK_CMD_TARGET_SET]	= "target-set",
	[PRIVLINK_CMD_ENDPOINT_ADD]	= "endpoint-add",
	[PRIVLINK_CMD_ENDPOINT_DEL]	= "endpoint-del",
	[PRIVLINK_CMD_ENDPOINT_ACCEPT]	= "endpoint-accept",
	[PRIVLINK_CMD_ENDPOINT_REJECT]	= "endpoint-reject",
	[PRIVLINK_CMD_ENDPOINT_SET]	= "endpoint-set",
	[PRIVLINK_CMD_ENI_ADD]		= "eni-add",
	[PRIVLINK_CMD_ENI_DEL]		= "eni-del",
	[PRIVLINK_CMD_SET_INFO]		= "limit-set",
};

const char *cmd_event_name(unsigned int cmd)
{
	if (cmd > PRIVLINK_CMD_MAX)
		return NULL;
	return events[cmd];
}
