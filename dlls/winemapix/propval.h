/*
 * Property values and restrictions (propval.c, restrict.c): winemapix's
 * own, and built into winepst too through its PARENTSRC
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

#ifndef __WINE_WINEMAPIX_PROPVAL_H
#define __WINE_WINEMAPIX_PROPVAL_H

#include "mapidefs.h"

int propval_compare(const SPropValue *a, const SPropValue *b);
BOOL propval_mv_element(const SPropValue *mv, ULONG idx, SPropValue *out);
BOOL propval_relop(const SPropValue *a, ULONG relop, const SPropValue *b);
BOOL propval_contains(const SPropValue *dst, const SPropValue *src, ULONG fuzzy, BOOL allow_unicode);
ULONG props_block_size(const SPropValue *props, ULONG count);
void props_block_copy(void *block, const SPropValue *props, ULONG count);
HRESULT restriction_check(const SRestriction *res, BOOL allow_sub);
BOOL restriction_match(const SRestriction *res, const SPropValue *props, ULONG count);
SRestriction *restriction_copy(const SRestriction *res);
void restriction_free(SRestriction *res);

#endif /* __WINE_WINEMAPIX_PROPVAL_H */
