/*
 * The winemapix exports the winemapix tests call
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
 * Included once by each test file that calls them; load_winemapix() fills
 * every pointer and reports a missing export.
 */

#include "mapiutil.h"

static HRESULT (WINAPI *pMAPIInitialize)(void *);
static void (WINAPI *pMAPIUninitialize)(void);
static SCODE (WINAPI *pMAPIAllocateBuffer)(ULONG, void **);
static SCODE (WINAPI *pMAPIAllocateMore)(ULONG, void *, void **);
static ULONG (WINAPI *pMAPIFreeBuffer)(void *);
static HRESULT (WINAPI *pMAPILogonEx)(ULONG_PTR, char *, char *, ULONG, IMAPISession **);
static HRESULT (WINAPI *pMAPIAdminProfiles)(ULONG, IProfAdmin **);
static LONG (WINAPI *pMAPIXGetLiveBuffers)(void);
static HRESULT (WINAPI *pMAPIXTestCreateSession)(ULONG, IMAPISession **);
static HRESULT (WINAPI *pWrapStoreEntryID)(ULONG, char *, ULONG, ENTRYID *, ULONG *, ENTRYID **);
static void (WINAPI *pFreeProws)(SRowSet *);
static void (WINAPI *pFreePadrlist)(ADRLIST *);
static SPropValue *(WINAPI *pPpropFindProp)(SPropValue *, ULONG, ULONG);
static SCODE (WINAPI *pScGenerateMuid)(MAPIUID *);
static SCODE (WINAPI *pCreateIProp)(LPCIID, ALLOCATEBUFFER *, ALLOCATEMORE *, FREEBUFFER *, void *, IPropData **);
static SCODE (WINAPI *pCreateTable)(LPCIID, ALLOCATEBUFFER *, ALLOCATEMORE *, FREEBUFFER *, void *, ULONG, ULONG,
                                    SPropTagArray *, ITableData **);
static SCODE (WINAPI *pScGenerateMuid4)(MAPIUID *);    /* the decorated name ScGenerateMuid@4 */

static BOOL load_winemapix(void)
{
    HMODULE module = LoadLibraryA( "winemapix.dll" );

    ok( module != NULL, "winemapix.dll not loaded, error %lu.\n", GetLastError() );
    if (!module) return FALSE;
#define X(name) p##name = (void *)GetProcAddress( module, #name ); ok( p##name != NULL, #name " is missing.\n" )
    X(MAPIInitialize);
    X(MAPIUninitialize);
    X(MAPIAllocateBuffer);
    X(MAPIAllocateMore);
    X(MAPIFreeBuffer);
    X(MAPILogonEx);
    X(MAPIAdminProfiles);
    X(MAPIXGetLiveBuffers);
    X(MAPIXTestCreateSession);
    X(WrapStoreEntryID);
    X(FreeProws);
    X(FreePadrlist);
    X(PpropFindProp);
    X(ScGenerateMuid);
    X(CreateIProp);
    X(CreateTable);
#undef X
    pScGenerateMuid4 = (void *)GetProcAddress( module, "ScGenerateMuid@4" );
    ok( pScGenerateMuid4 != NULL, "ScGenerateMuid@4 is missing.\n" );
    return pMAPIInitialize && pMAPIUninitialize && pMAPIAllocateBuffer && pMAPIAllocateMore && pMAPIFreeBuffer
           && pMAPILogonEx && pMAPIAdminProfiles && pMAPIXGetLiveBuffers && pMAPIXTestCreateSession
           && pWrapStoreEntryID && pFreeProws && pFreePadrlist && pPpropFindProp && pScGenerateMuid
           && pCreateIProp && pCreateTable && pScGenerateMuid4;
}
