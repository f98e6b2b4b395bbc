package org.livernode.corrections;

/** What came of a Segmentation instance the node looked at as a possible correction. */
public enum CorrectionState {
    /** Linked to the node's SEG of the same CT series and measured against it. */
    MEASURED,
    /** Not measurable yet (its CT series is not stored, or the node has not segmented it yet); looked at again. */
    WAITING,
    /** Cannot be measured (unreadable, on another grid, frames that cannot be placed); the reason says why. */
    NOT_MEASURED,
    /** Made by livernode (Manufacturer): an output of the node, never a correction. */
    OWN_OUTPUT
}
