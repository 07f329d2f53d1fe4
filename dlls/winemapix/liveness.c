/*
 * Liveness of the objects MAPI hands out
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

/*
 * Objects a client may still hold after the end of what gave them out (a
 * session's Logoff, the final MAPIUninitialize) must answer
 * MAPI_E_INVALID_OBJECT from every method but AddRef and Release, and be
 * freed at their last Release (mapi-logoff.md R6.5, Q4, scenario (d)).
 * Each such object holds a reference to its owner's liveness and checks it
 * on entry; the owner kills the liveness when it ends.  The liveness
 * outlives its owner for as long as any object refers to it.
 */

#include <stdlib.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* the liveness of objects obtained outside any session (MAPIAdminProfiles) */
static struct liveness *process_liveness;
static CRITICAL_SECTION liveness_cs;
static CRITICAL_SECTION_DEBUG liveness_cs_debug =
{
    0, 0, &liveness_cs,
    { &liveness_cs_debug.ProcessLocksList, &liveness_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": liveness_cs") }
};
static CRITICAL_SECTION liveness_cs = { &liveness_cs_debug, -1, 0, 0, 0, 0 };

struct liveness *liveness_create(void)
{
    struct liveness *liveness;

    if (!(liveness = calloc( 1, sizeof(*liveness) ))) return NULL;
    liveness->refcount = 1;
    TRACE( "created %p.\n", liveness );
    return liveness;
}

/* R7.11: after the final MAPIUninitialize no MAPI call is allowed, so what
 * MAPIAdminProfiles gave out dies; the next one starts a new generation. */
static void process_liveness_uninitialize(void)
{
    struct liveness *liveness;

    EnterCriticalSection( &liveness_cs );
    liveness = process_liveness;
    process_liveness = NULL;
    LeaveCriticalSection( &liveness_cs );
    liveness_kill( liveness );
    liveness_release( liveness );
}

struct liveness *liveness_process(void)
{
    struct liveness *liveness;

    mapix_add_uninitialize_hook( process_liveness_uninitialize );
    EnterCriticalSection( &liveness_cs );
    if (!process_liveness) process_liveness = liveness_create();
    if ((liveness = process_liveness)) liveness_addref( liveness );
    LeaveCriticalSection( &liveness_cs );
    return liveness;
}
