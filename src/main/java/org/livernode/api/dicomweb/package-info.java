/**
 * DICOMweb (PS3.18) over what the node stored, under {@code /dicom-web}:
 * <ul>
 *   <li>QIDO-RS: {@code GET /studies}, {@code /series}, {@code /instances}, {@code /studies/{study}/series},
 *   {@code /studies/{study}/instances}, {@code /studies/{study}/series/{series}/instances}; matching by keyword or
 *   tag, {@code limit}, {@code offset}, {@code includefield} (or {@code all}); {@code application/dicom+json}.</li>
 *   <li>WADO-RS: {@code .../metadata} at study, series and instance level; {@code GET /studies/{study}},
 *   {@code /studies/{study}/series/{series}} and {@code .../instances/{instance}} as multipart/related Part 10
 *   files exactly as stored; {@code .../instances/{instance}/frames/{n[,m...]}} and
 *   {@code .../instances/{instance}/bulkdata/7FE00010} as octet streams, native little endian unless the
 *   Accept header asks for the stored transfer syntax.</li>
 *   <li>STOW-RS: {@code POST /studies} and {@code POST /studies/{study}}, through the same checks, store,
 *   index and series completion as C-STORE.</li>
 * </ul>
 * Errors the standard gives no body for are RFC 7807 problems.
 */
package org.livernode.api.dicomweb;
