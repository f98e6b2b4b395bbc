/**
 * Writing DICOM data sets, shared by the node's writers (SEG, SR, overlay): attributes by the dictionary's VR
 * ({@link org.livernode.dicom.attributes.Attributes}) and files written whole or not at all
 * ({@link org.livernode.dicom.attributes.DicomFiles}).
 */
package org.livernode.dicom.attributes;
