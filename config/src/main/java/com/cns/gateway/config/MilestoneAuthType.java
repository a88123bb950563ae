package com.cns.gateway.config;

/**
 * MilestoneAuthType is how the gateway proves who it is to the XProtect identity provider:
 * {@code BASIC} is a basic user's password grant; {@code NTLM} is a Windows user, whose token
 * request must go straight to the IDP (research/milestone-protocols.md §1).
 */
public enum MilestoneAuthType {
    BASIC,
    NTLM
}
