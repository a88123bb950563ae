package com.cns.gateway.media.cache;

/** Whose segment production goes first when every production slot is busy, highest first. */
public enum ProductionPriority {
    /** The window holding a new playlist's time: its viewer waits for it to start at all. */
    FIRST,
    /** A segment a viewer asked for, or a window a new playlist lists before it answers. */
    WAITED_FOR,
    /** Prefetch: nobody waits for it yet. */
    BACKGROUND
}
