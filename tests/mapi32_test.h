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

/* Each test file loads MAPIFreeBuffer from mapi32 into this before it uses
 * the helpers below. */
static ULONG (WINAPI *pMAPIFreeBuffer)(void *);

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
