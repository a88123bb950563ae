package com.cns.gateway.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies ({@code HTTP_TRUSTED_PROXIES}: addresses and CIDR blocks, IPv4 or IPv6) whose
 * {@code X-Forwarded-For} names the client: behind nginx every request comes from nginx's address,
 * and audit rows and the per-address login limit must see the client's instead. Literals only: a
 * name is refused (no DNS lookup at start, and none an attacker could steer).
 */
public final class TrustedProxies {
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = prefix == 0 ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - prefix).shiftLeft(bits - prefix);
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /** Parses a comma-separated list; throws IllegalArgumentException naming the entry at fault. */
    public static TrustedProxies parse(String list) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String host = entry;
            int prefix = -1;
            int slash = entry.indexOf('/');
            if (slash >= 0) {
                host = entry.substring(0, slash);
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + entry + "' has no prefix length after '/'");
                }
            }
            if (!LITERAL.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block (names are not looked up)");
            }
            byte[] address;
            try {
                address = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            int bits = address.length * 8;
            if (prefix > bits || slash >= 0 && prefix < 0) {
                throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0 to " + bits);
            }
            blocks.add(new Block(address, prefix < 0 ? bits : prefix));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether {@code address} (a literal, as a socket or X-Forwarded-For gives it) is a trusted proxy. */
    public boolean trusts(String address) {
        if (blocks.isEmpty() || address == null || !LITERAL.matcher(address).matches()) {
            return false;
        }
        try {
            byte[] a = InetAddress.getByName(address).getAddress();
            return blocks.stream().anyMatch(b -> b.contains(a));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The client of a request from {@code peer} carrying {@code forwardedFor} (X-Forwarded-For, or null):
     * the peer itself unless it is trusted; else the right-most forwarded address that is not a trusted
     * proxy (the left ones a client can forge), or the left-most when every one is trusted.
     */
    public String client(String peer, String forwardedFor) {
        if (forwardedFor == null || !trusts(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        String leftmost = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty() || !LITERAL.matcher(hop).matches()) {
                return leftmost;
            }
            leftmost = hop;
            if (!trusts(hop)) {
                return hop;
            }
        }
        return leftmost;
    }
}
