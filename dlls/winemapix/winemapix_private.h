/*
 * winemapix internal declarations shared between files
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

#ifndef __WINE_WINEMAPIX_PRIVATE_H
#define __WINE_WINEMAPIX_PRIVATE_H

#include <stdarg.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "winreg.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"

/* main.c */
extern HINSTANCE mapix_instance;

/* alloc.c, init.c: allocators, MAPIInitialize / MAPIUninitialize */

/* table.c, iprop.c, propval.c, advise.c: tables, property objects, sinks */

/* profile.c, mapisvc.c, profsect.c, msgsvc.c: profiles and services */

/* session.c, support.c, provider.c: sessions, support objects, providers */

#endif /* __WINE_WINEMAPIX_PRIVATE_H */
