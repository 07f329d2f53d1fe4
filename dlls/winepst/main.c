/*
 * winepst: the Personal Folders (PST) message store provider
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

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

HINSTANCE pst_instance;
LONG pst_object_count;

BOOL WINAPI DllMain( HINSTANCE instance, DWORD reason, void *reserved )
{
    TRACE( "%p, %lu, %p.\n", instance, reason, reserved );

    if (reason == DLL_PROCESS_ATTACH)
    {
        pst_instance = instance;
        DisableThreadLibraryCalls( instance );
    }
    return TRUE;
}

/***********************************************************************
 *              DllCanUnloadNow (winepst.@)
 *
 * MAPI asks before it frees provider DLLs: a client may still hold a
 * store, folder or message that outlived its logon, and those keep our
 * code in use until their last Release.
 */
HRESULT WINAPI DllCanUnloadNow(void)
{
    TRACE( "%ld objects alive.\n", pst_object_count );
    return pst_object_count ? S_FALSE : S_OK;
}
