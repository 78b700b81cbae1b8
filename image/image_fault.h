/*
 * image_fault.h — internal to image/: fill a struct h7_image_fault and return its code.
 */
#ifndef H7_IMAGE_FAULT_H
#define H7_IMAGE_FAULT_H

#include "h7_image.h"

/* Record where a check failed (f may be NULL) and return err. other is set to -1. */
int h7_image_set_fault(struct h7_image_fault *f, int err, int segment, uint32_t field,
                       uint32_t addr, uint32_t len);

#endif /* H7_IMAGE_FAULT_H */
