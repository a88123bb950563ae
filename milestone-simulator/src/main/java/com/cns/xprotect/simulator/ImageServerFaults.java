package com.cns.xprotect.simulator;

/** What is wrong with the recorders' ImageServer at the moment: all down, or some recorded frames damaged. */
interface ImageServerFaults {
    boolean down();

    /** Whether the frame of {@code camera} at {@code timeMs} is damaged (its GenericByteData is inconsistent). */
    boolean broken(String camera, long timeMs);
}
