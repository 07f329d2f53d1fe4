/*
 * Message store provider loading, logon records and their teardown
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
 * Three levels of objects:
 * - provider_module: a provider DLL, loaded once per process and freed only
 *   after the final MAPIUninitialize, and only when nothing of it is alive
 *   any more (R7.6, scenario d step 5);
 * - store_provider: the IMSProvider of one session and one DLL (R1.10),
 *   kept until the session logs off (Q2);
 * - store_logon: one IMSLogon, with its support object, UIDs and the state
 *   machine of R4.10.
 */

#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

struct provider_module
{
    struct provider_module *next;
    char *name;
    HMODULE module;
    LONG users;
};

static struct provider_module *modules;
static CRITICAL_SECTION modules_cs;
static CRITICAL_SECTION_DEBUG modules_cs_debug =
{
    0, 0, &modules_cs,
    { &modules_cs_debug.ProcessLocksList, &modules_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": modules_cs") }
};
static CRITICAL_SECTION modules_cs = { &modules_cs_debug, -1, 0, 0, 0, 0 };

/* R1.12: MAPI loads a provider registered as "name.dll" from "name32.dll",
 * inserting "32" before the first period even in a full path.  A provider
 * whose file carries the registered name itself, as Wine's own providers
 * do, is loaded under that name when no "32" file exists. */
HMODULE provider_load_library( const char *name )
{
    const char *dot = strchr( name, '.' );
    size_t len = strlen( name ), prefix = dot ? dot - name : len;
    HMODULE module;
    char *path;

    if (!(path = malloc( len + 3 ))) return NULL;
    memcpy( path, name, prefix );
    memcpy( path + prefix, "32", 2 );
    strcpy( path + prefix + 2, name + prefix );
    module = LoadLibraryA( path );
    TRACE( "loaded %s as %p.\n", debugstr_a(path), module );
    free( path );
    if (!module && GetLastError() == ERROR_MOD_NOT_FOUND)
    {
        module = LoadLibraryA( name );
        TRACE( "loaded %s as %p.\n", debugstr_a(name), module );
    }
    return module;
}

static HRESULT provider_module_get( const char *name, struct provider_module **out )
{
    struct provider_module *module;

    EnterCriticalSection( &modules_cs );
    for (module = modules; module; module = module->next)
    {
        if (stricmp( module->name, name )) continue;
        module->users++;
        LeaveCriticalSection( &modules_cs );
        *out = module;
        return S_OK;
    }
    LeaveCriticalSection( &modules_cs );

    if (!(module = calloc( 1, sizeof(*module) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(module->name = strdup( name )))
    {
        free( module );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (!(module->module = provider_load_library( name )))
    {
        WARN( "cannot load provider %s, error %lu.\n", debugstr_a(name), GetLastError() );
        free( module->name );
        free( module );
        return MAPI_E_NOT_FOUND;
    }
    module->users = 1;

    EnterCriticalSection( &modules_cs );
    module->next = modules;
    modules = module;
    LeaveCriticalSection( &modules_cs );
    *out = module;
    return S_OK;
}

void provider_module_addref( struct provider_module *module )
{
    EnterCriticalSection( &modules_cs );
    module->users++;
    LeaveCriticalSection( &modules_cs );
}

/* The DLL itself stays loaded until the final MAPIUninitialize. */
void provider_module_release( struct provider_module *module )
{
    EnterCriticalSection( &modules_cs );
    module->users--;
    LeaveCriticalSection( &modules_cs );
}

/* A DLL that failed to initialize is not kept loaded. */
static void provider_module_discard( struct provider_module *module )
{
    struct provider_module **entry;

    EnterCriticalSection( &modules_cs );
    if (--module->users)
    {
        LeaveCriticalSection( &modules_cs );
        return;
    }
    for (entry = &modules; *entry; entry = &(*entry)->next)
    {
        if (*entry != module) continue;
        *entry = module->next;
        break;
    }
    LeaveCriticalSection( &modules_cs );
    FreeLibrary( module->module );
    free( module->name );
    free( module );
}

/* Called after the final MAPIUninitialize. */
void provider_modules_unload( void )
{
    struct provider_module **entry = &modules, *module;

    EnterCriticalSection( &modules_cs );
    while ((module = *entry))
    {
        if (module->users)
        {
            /* something of it is still alive: leak the DLL rather than crash */
            WARN( "%s still has %ld users, not unloading it.\n", debugstr_a(module->name), module->users );
            entry = &module->next;
            continue;
        }
        *entry = module->next;
        TRACE( "unloading %s.\n", debugstr_a(module->name) );
        FreeLibrary( module->module );
        free( module->name );
        free( module );
    }
    LeaveCriticalSection( &modules_cs );
}

/* Find or create the session's IMSProvider for dll_name, calling MSProviderInit at most once. */
HRESULT store_provider_open( struct store_provider **providers, const char *dll_name, struct store_provider **out )
{
    struct store_provider *provider, **tail;
    struct provider_module *module;
    MSPROVIDERINIT *init;
    IMSProvider *object;
    ULONG version = 0;
    HRESULT hr;

    for (tail = providers; (provider = *tail); tail = &provider->next)
    {
        if (stricmp( provider->module->name, dll_name )) continue;
        *out = provider;
        return S_OK;
    }

    if (FAILED(hr = provider_module_get( dll_name, &module ))) return hr;
    if (!(init = (MSPROVIDERINIT *)GetProcAddress( module->module, "MSProviderInit" )))
    {
        WARN( "%s has no MSProviderInit.\n", debugstr_a(dll_name) );
        provider_module_discard( module );
        return MAPI_E_NOT_FOUND;
    }

    /* R1.15, Q12 */
    hr = init( module->module, MAPIGetDefaultMalloc(), MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
               0, CURRENT_SPI_VERSION, &version, &object );
    TRACE( "MSProviderInit returned %#lx, version %#lx.\n", hr, version );
    if (FAILED(hr))
    {
        provider_module_discard( module );
        return hr;
    }
    if (version < CURRENT_SPI_VERSION)
    {
        /* R1.7: as if the entry point had failed with MAPI_E_VERSION */
        WARN( "%s has SPI version %#lx.\n", debugstr_a(dll_name), version );
        IMSProvider_Release( object );
        provider_module_discard( module );
        return MAPI_E_VERSION;
    }

    if (!(provider = calloc( 1, sizeof(*provider) )))
    {
        IMSProvider_Release( object );
        provider_module_discard( module );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    provider->module = module;
    provider->provider = object;
    *tail = provider;
    *out = provider;
    return S_OK;
}

static void store_provider_destroy( struct store_provider **providers, struct store_provider *provider )
{
    struct store_provider **entry;
    ULONG zero = 0;
    HRESULT hr;

    for (entry = providers; *entry; entry = &(*entry)->next)
    {
        if (*entry != provider) continue;
        *entry = provider->next;
        break;
    }
    /* R4.7, R7.1: only after all its logons are released */
    if ((hr = IMSProvider_Shutdown( provider->provider, &zero ))) WARN( "Shutdown returned %#lx.\n", hr );
    IMSProvider_Release( provider->provider );
    provider_module_release( provider->module );
    free( provider );
}

static void store_logon_unlink( struct store_logon *logon )
{
    struct store_logon **entry;

    for (entry = &logon->provider->logons; *entry; entry = &(*entry)->next)
    {
        if (*entry != logon) continue;
        *entry = logon->next;
        break;
    }
}

static void store_logon_remove_uids( struct store_logon *logon )
{
    free( logon->uids );
    logon->uids = NULL;
    logon->uid_count = 0;
}

/* Q13: the result of IMSLogon::Logoff does not stop the teardown. */
static void store_logon_logoff( struct store_logon *logon )
{
    ULONG zero = 0;
    HRESULT hr;

    logon->state = STORE_LOGON_LOGGING_OFF;
    if ((hr = IMSLogon_Logoff( logon->logon, &zero ))) WARN( "Logoff returned %#lx.\n", hr );
    logon->state = STORE_LOGON_LOGGED_OFF;
}

/* The support object's count reached zero; it is freed once this returns. */
void store_logon_support_released( struct store_logon *logon )
{
    TRACE( "%p, state %u.\n", logon, logon->state );

    /* R4.8 steps 1 and 2; the support object removes its status row itself */
    store_logon_remove_uids( logon );
    logon->support = NULL;
    if (logon->state != STORE_LOGON_ACTIVE) return;

    /* R4.8 steps 3 and 4: the provider released the support object from its
     * store's final Release (R4.9 i) */
    store_logon_logoff( logon );
    IMSLogon_Release( logon->logon );
    logon->state = STORE_LOGON_RELEASED;
    store_logon_unlink( logon );
    free( logon );
}

/* Done with a record that is not (or no longer) in its provider's list. */
static void store_logon_free( struct store_logon *logon )
{
    logon->state = STORE_LOGON_RELEASED;
    if (logon->holds_support && logon->support)
    {
        logon->holds_support = FALSE;
        IMAPISupport_Release( (IMAPISupport *)logon->support );
    }
    if (logon->support)
    {
        /* the provider still holds it (a provider bug, or the case of R2.3
         * with no AddRef): it now only answers MAPI_E_INVALID_OBJECT */
        WARN( "support object %p outlives its logon.\n", logon->support );
        support_detach( logon->support );
        logon->support = NULL;
    }
    store_logon_remove_uids( logon );
    free( logon );
}

HRESULT store_provider_logon( struct store_provider **providers, struct store_provider *provider,
                              const WCHAR *profile, const MAPIUID *section, ITableData **status,
                              ULONG_PTR ui_param, ULONG entry_size, ENTRYID *entry, ULONG flags,
                              const IID *iid, IMsgStore **store )
{
    ULONG spool_size = 0, refcount;
    struct store_logon *logon, **tail;
    MAPIERROR *error = NULL;
    IMAPISupport *support;
    IMSLogon *ms_logon = NULL;
    IMsgStore *mdb = NULL;
    BYTE *spool = NULL;
    char *profile_a = NULL;
    HRESULT hr;
    int len;

    if (!(logon = calloc( 1, sizeof(*logon) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    logon->provider = provider;
    logon->state = STORE_LOGON_ACTIVE;
    if (FAILED(hr = support_create( logon, provider->module->name, profile, section, status, &support )))
    {
        free( logon );
        return hr;
    }
    support_set_providers( logon->support, providers );

    /* Q15: OpenMsgStore's flags go through unchanged */
    /* R2.2: the profile name is a wide string only with MAPI_UNICODE */
    if (!(flags & MAPI_UNICODE) && (len = WideCharToMultiByte( CP_ACP, 0, profile, -1, NULL, 0, NULL, NULL ))
            && (profile_a = malloc( len )))
        WideCharToMultiByte( CP_ACP, 0, profile, -1, profile_a, len, NULL, NULL );
    hr = IMSProvider_Logon( provider->provider, support, ui_param,
                            (flags & MAPI_UNICODE) ? (WCHAR *)profile : (WCHAR *)profile_a, entry_size, entry,
                            flags, iid, &spool_size, &spool, &error, &ms_logon, &mdb );
    free( profile_a );
    TRACE( "Logon returned %#lx, logon %p, store %p.\n", hr, ms_logon, mdb );
    /* R2.5, R2.6: MAPI frees what the provider allocated for it; there is
     * no spooler to give the credentials to */
    MAPIFreeBuffer( spool );
    if (error)
    {
        WARN( "provider error %#lx.\n", error->ulLowLevelError );
        MAPIFreeBuffer( error );
    }

    if (FAILED(hr) || !ms_logon)
    {
        /* a failure, or R2.9's piggyback: no new store logon, and the
         * support object made for this call is dropped without Logoff */
        logon->state = STORE_LOGON_RELEASED;
        IMAPISupport_Release( support );
        store_logon_free( logon );
        if (FAILED(hr))
        {
            if (mdb) IMsgStore_Release( mdb );
            if (!provider->logons) store_provider_destroy( providers, provider );
            return hr;
        }
        if (!mdb) return MAPI_E_CALL_FAILED;
        *store = mdb;
        return hr;
    }

    logon->logon = ms_logon;
    for (tail = &provider->logons; *tail; tail = &(*tail)->next) ;
    *tail = logon;

    /* R2.3: from now on the provider's own reference keeps it alive */
    refcount = IMAPISupport_AddRef( support );
    IMAPISupport_Release( support );
    if (refcount > 2) IMAPISupport_Release( support );
    else
    {
        WARN( "provider did not keep the support object.\n" );
        logon->holds_support = TRUE;
    }

    *store = mdb;
    return hr;
}

struct store_logon *store_logon_from_uid( struct store_provider **providers, const MAPIUID *uid )
{
    struct store_provider *provider;
    struct store_logon *logon;
    unsigned int i;

    /* R2.8: the first logon registered under a UID gets the requests */
    for (provider = *providers; provider; provider = provider->next)
        for (logon = provider->logons; logon; logon = logon->next)
        {
            if (logon->state != STORE_LOGON_ACTIVE) continue;
            for (i = 0; i < logon->uid_count; i++)
                if (!memcmp( &logon->uids[i], uid, sizeof(*uid) )) return logon;
        }
    return NULL;
}

/* The logon whose provider added the status table row with ROW_KEY. */
struct store_logon *store_logon_from_status_row( struct store_provider **providers, const MAPIUID *row_key )
{
    struct store_provider *provider;
    struct store_logon *logon;

    for (provider = *providers; provider; provider = provider->next)
        for (logon = provider->logons; logon; logon = logon->next)
            if (logon->state == STORE_LOGON_ACTIVE && logon->support
                    && support_owns_status_row( logon->support, row_key ))
                return logon;
    return NULL;
}

/* Sequence (c) of §10, steps 4 and 5. */
void store_providers_shutdown( struct store_provider **providers )
{
    struct store_provider *provider;
    struct store_logon *logon;

    while ((provider = *providers))
    {
        while ((logon = provider->logons))
        {
            if (logon->state == STORE_LOGON_ACTIVE) store_logon_logoff( logon );
            /* a support release during this does not call Logoff again */
            IMSLogon_Release( logon->logon );
            provider->logons = logon->next;
            store_logon_free( logon );
        }
        store_provider_destroy( providers, provider );
    }
}
