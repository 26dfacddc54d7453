"""Which address space counts as the closed network: the only destinations a route, and the only sources and
destinations a security-group rule, may name.

Why an explicit list rather than `ipaddress.is_private`: that also admits documentation, benchmarking and
reserved ranges, and a check that only refuses 0.0.0.0/0 is evaded by 0.0.0.0/1 + 128.0.0.0/1 (the default route
in two halves) or by any one public prefix. Private space is RFC 1918 (10/8, 172.16/12, 192.168/16), RFC 6598
shared space (100.64/10, used by some prefectural and LGWAN-side networks) and, for IPv6, RFC 4193 unique local
addresses (fc00::/7). Compare Prowler `ec2_securitygroup_allow_ingress_from_internet_to_any_port` and AWS Config
RESTRICTED_INCOMING_TRAFFIC, which only look at 0.0.0.0/0 and ::/0.
"""

from __future__ import annotations

import ipaddress

CLOSED_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",  # RFC 1918
    "100.64.0.0/10",  # RFC 6598
    "fc00::/7",  # RFC 4193
))


def is_closed_network(cidr: str) -> bool:
    """Whether every address of `cidr` is private address space (an unparsable value is not)."""
    try:
        network = ipaddress.ip_network(str(cidr), strict=False)
    except ValueError:
        return False
    return any(network.version == n.version and network.subnet_of(n) for n in CLOSED_NETWORKS)  # type: ignore[arg-type]
