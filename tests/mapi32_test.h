/*
 * Helpers shared by the tests that run through Wine's mapi32.dll
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

/* What the tests call through Wine's mapi32.dll; load_mapi32() fills them */
static HRESULT (WINAPI *pMAPIInitialize)(void *);
static void (WINAPI *pMAPIUninitialize)(void);
static ULONG (WINAPI *pMAPIFreeBuffer)(void *);
static HRESULT (WINAPI *pMAPILogonEx)(ULONG_PTR, WCHAR *, WCHAR *, ULONG, IMAPISession **);
static HRESULT (WINAPI *pMAPIAdminProfiles)(ULONG, IProfAdmin **);

/* NULL when mapi32.dll does not load */
static inline HMODULE load_mapi32( void )
{
    HMODULE mapi32 = LoadLibraryA( "mapi32.dll" );

    ok( mapi32 != NULL, "mapi32.dll did not load: %lu.\n", GetLastError() );
    if (!mapi32) return NULL;
    pMAPIInitialize = (void *)GetProcAddress( mapi32, "MAPIInitialize" );
    pMAPIUninitialize = (void *)GetProcAddress( mapi32, "MAPIUninitialize" );
    pMAPIFreeBuffer = (void *)GetProcAddress( mapi32, "MAPIFreeBuffer" );
    pMAPILogonEx = (void *)GetProcAddress( mapi32, "MAPILogonEx" );
    pMAPIAdminProfiles = (void *)GetProcAddress( mapi32, "MAPIAdminProfiles" );
    ok( pMAPIInitialize && pMAPIUninitialize && pMAPIFreeBuffer && pMAPILogonEx && pMAPIAdminProfiles,
        "mapi32 lacks exports.\n" );
    return mapi32;
}

/* Copies sample NAME of $WINEMAPIX_TEST_DATA to a new temporary file COPY,
 * writable; SOURCE, when not NULL, gets the sample's own path. */
static inline BOOL copy_sample( const char *name, WCHAR *copy, WCHAR *source )
{
    char path[MAX_PATH], *data_dir = getenv( "WINEMAPIX_TEST_DATA" ), *p;
    WCHAR temp_dir[MAX_PATH], path_w[MAX_PATH];

    if (!data_dir) return FALSE;
    snprintf( path, sizeof(path), "Z:%s/%s", data_dir, name );
    for (p = path; *p; p++) if (*p == '/') *p = '\\';
    MultiByteToWideChar( CP_ACP, 0, path, -1, path_w, MAX_PATH );
    if (source) lstrcpyW( source, path_w );
    GetTempPathW( ARRAY_SIZE(temp_dir), temp_dir );
    GetTempFileNameW( temp_dir, L"pst", 0, copy );
    if (!CopyFileW( path_w, copy, FALSE )) return FALSE;
    /* the sample is read-only; its copy is written to */
    SetFileAttributesW( copy, FILE_ATTRIBUTE_NORMAL );
    return TRUE;
}

static inline void free_rows( SRowSet *rows )
{
    ULONG i;

    for (i = 0; i < rows->cRows; i++) pMAPIFreeBuffer( rows->aRow[i].lpProps );
    pMAPIFreeBuffer( rows );
}

static inline const SPropValue *row_prop( const SRow *row, ULONG tag )
{
    ULONG i;

    for (i = 0; i < row->cValues; i++)
        if (row->lpProps[i].ulPropTag == tag) return &row->lpProps[i];
    return NULL;
}

/* The service UID of the profile's MSUPST MS service. */
static inline BOOL find_service( IMsgServiceAdmin *admin, MAPIUID *uid )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_SERVICE_UID, PR_SERVICE_NAME_A } };
    const SPropValue *name, *service;
    IMAPITable *table;
    SRowSet *rows;
    BOOL found = FALSE;
    HRESULT hr;
    ULONG i;

    hr = IMsgServiceAdmin_GetMsgServiceTable( admin, 0, &table );
    ok( hr == S_OK, "GetMsgServiceTable returned %#lx.\n", hr );
    if (FAILED(hr)) return FALSE;
    IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    while (!found && SUCCEEDED(IMAPITable_QueryRows( table, 10, 0, &rows )) && rows->cRows)
    {
        for (i = 0; i < rows->cRows; i++)
        {
            name = row_prop( &rows->aRow[i], PR_SERVICE_NAME_A );
            service = row_prop( &rows->aRow[i], PR_SERVICE_UID );
            if (!found && name && service && !strcmp( name->Value.lpszA, "MSUPST MS" )
                    && service->Value.bin.cb == sizeof(*uid))
            {
                memcpy( uid, service->Value.bin.lpb, sizeof(*uid) );
                found = TRUE;
            }
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
    return found;
}
