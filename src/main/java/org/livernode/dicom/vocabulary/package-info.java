/**
 * The node's one DICOM vocabulary: SOP Class and Transfer Syntax UIDs, the UID rules and generator, and the AE
 * title rule. Every other package names these constants instead of spelling the numbers again (as dcm4che's
 * {@code UID} class does). A leaf package: it imports nothing of the node.
 */
package org.livernode.dicom.vocabulary;
