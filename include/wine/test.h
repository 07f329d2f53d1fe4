/*
 * Conformance test harness
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
 * This header is interface- and output-compatible with Wine's own
 * include/wine/test.h, so that test files written against it build
 * unchanged inside Wine's tree.  Like Wine's, it has two halves: the
 * declarations every test file sees, and the implementation plus main(),
 * compiled only where STANDALONE is defined (the generated testlist.c, or
 * a single-file test that defines it itself).
 */

#ifndef __WINE_WINE_TEST_H
#define __WINE_WINE_TEST_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <windef.h>
#include <winbase.h>
#include <wine/debug.h>

#ifndef INVALID_FILE_ATTRIBUTES
#define INVALID_FILE_ATTRIBUTES  (~0u)
#endif
#ifndef INVALID_SET_FILE_POINTER
#define INVALID_SET_FILE_POINTER (~0u)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

#ifdef NONAMELESSUNION
# define U(x)  (x).u
# define U1(x) (x).u1
# define U2(x) (x).u2
# define U3(x) (x).u3
# define U4(x) (x).u4
# define U5(x) (x).u5
# define U6(x) (x).u6
# define U7(x) (x).u7
# define U8(x) (x).u8
#else
# define U(x)  (x)
# define U1(x) (x)
# define U2(x) (x)
# define U3(x) (x)
# define U4(x) (x)
# define U5(x) (x)
# define U6(x) (x)
# define U7(x) (x)
# define U8(x) (x)
#endif

#ifdef NONAMELESSSTRUCT
# define S(x)  (x).s
# define S1(x) (x).s1
# define S2(x) (x).s2
# define S3(x) (x).s3
# define S4(x) (x).s4
# define S5(x) (x).s5
#else
# define S(x)  (x)
# define S1(x) (x)
# define S2(x) (x)
# define S3(x) (x)
# define S4(x) (x)
# define S5(x) (x)
#endif

/* debug level: 0 = quiet, 1 = traces and summary, >1 = no muting */
extern int winetest_debug;
/* run tests that need a person in front of the screen */
extern int winetest_interactive;
/* report every success, not only failures */
extern int winetest_report_success;
/* count flaky failures in the exit code */
extern int winetest_report_flaky;
/* print elapsed time in every location prefix */
extern int winetest_time;
/* after this many todo/skip/trace lines from one source line, be quiet */
extern int winetest_mute_threshold;
/* "windows" or "wine" */
extern const char *winetest_platform;

extern void winetest_set_location( const char *file, int line );
extern void winetest_subtest( const char *name );
extern void winetest_ignore_exceptions( BOOL ignore );
extern void winetest_start_todo( int is_todo );
extern int winetest_loop_todo(void);
extern void winetest_end_todo(void);
extern void winetest_start_flaky( int is_flaky );
extern int winetest_loop_flaky(void);
extern void winetest_end_flaky(void);
extern int winetest_get_mainargs( char ***pargv );
extern LONG winetest_get_failures(void);
extern void winetest_add_failures( LONG new_failures );
extern void winetest_wait_child_process( HANDLE process );

extern int broken( int condition );
extern int winetest_vok( int condition, const char *msg, va_list ap );
extern void winetest_vskip( const char *msg, va_list ap );

extern int winetest_ok( int condition, const char *msg, ... ) __WINE_PRINTF_ATTR(2,3);
extern void winetest_skip( const char *msg, ... ) __WINE_PRINTF_ATTR(1,2);
extern void winetest_win_skip( const char *msg, ... ) __WINE_PRINTF_ATTR(1,2);
extern void winetest_trace( const char *msg, ... ) __WINE_PRINTF_ATTR(1,2);
extern void winetest_push_context( const char *fmt, ... ) __WINE_PRINTF_ATTR(1,2);
extern void winetest_pop_context(void);

#ifdef WINETEST_NO_LINE_NUMBERS
# define subtest_(file, line)  (winetest_set_location(file, 0), 0) ? (void)0 : winetest_subtest
# define ignore_exceptions_(file, line)  (winetest_set_location(file, 0), 0) ? (void)0 : winetest_ignore_exceptions
# define ok_(file, line)       (winetest_set_location(file, 0), 0) ? 0 : winetest_ok
# define skip_(file, line)     (winetest_set_location(file, 0), 0) ? (void)0 : winetest_skip
# define win_skip_(file, line) (winetest_set_location(file, 0), 0) ? (void)0 : winetest_win_skip
# define trace_(file, line)    (winetest_set_location(file, 0), 0) ? (void)0 : winetest_trace
# define wait_child_process_(file, line) (winetest_set_location(file, 0), 0) ? (void)0 : winetest_wait_child_process
#else
# define subtest_(file, line)  (winetest_set_location(file, line), 0) ? (void)0 : winetest_subtest
# define ignore_exceptions_(file, line)  (winetest_set_location(file, line), 0) ? (void)0 : winetest_ignore_exceptions
# define ok_(file, line)       (winetest_set_location(file, line), 0) ? 0 : winetest_ok
# define skip_(file, line)     (winetest_set_location(file, line), 0) ? (void)0 : winetest_skip
# define win_skip_(file, line) (winetest_set_location(file, line), 0) ? (void)0 : winetest_win_skip
# define trace_(file, line)    (winetest_set_location(file, line), 0) ? (void)0 : winetest_trace
# define wait_child_process_(file, line) (winetest_set_location(file, line), 0) ? (void)0 : winetest_wait_child_process
#endif

#define subtest  subtest_(__FILE__, __LINE__)
#define ignore_exceptions  ignore_exceptions_(__FILE__, __LINE__)
#define ok       ok_(__FILE__, __LINE__)
#define skip     skip_(__FILE__, __LINE__)
#define win_skip win_skip_(__FILE__, __LINE__)
#define trace    trace_(__FILE__, __LINE__)
#define wait_child_process wait_child_process_(__FILE__, __LINE__)

/* Each block macro is a loop that runs its body exactly once, bracketed by
 * the start/end calls so that nesting keeps a stack of states. */
#define todo_if(is_todo) for (winetest_start_todo(is_todo); \
                              winetest_loop_todo(); \
                              winetest_end_todo())
#define todo_wine               todo_if(!strcmp(winetest_platform, "wine"))
#define todo_wine_if(is_todo)   todo_if((is_todo) && !strcmp(winetest_platform, "wine"))

#define flaky_if(is_flaky) for (winetest_start_flaky(is_flaky); \
                                winetest_loop_flaky(); \
                                winetest_end_flaky())
#define flaky                   flaky_if(TRUE)
#define flaky_wine              flaky_if(!strcmp(winetest_platform, "wine"))
#define flaky_wine_if(is_flaky) flaky_if((is_flaky) && !strcmp(winetest_platform, "wine"))

struct test
{
    const char *name;
    void (*func)(void);
};

extern const struct test winetest_testlist[];

#ifdef STANDALONE

#define START_TEST(name) \
  static void func_##name(void); \
  const struct test winetest_testlist[] = { { #name, func_##name }, { 0, 0 } }; \
  static void func_##name(void)

#else

#define START_TEST(name) void func_##name(void)

#endif

/************************************************************************/
/* Everything below is the implementation, compiled once per test binary */

#ifdef STANDALONE

#include <stdio.h>
#include <excpt.h>
#include <io.h>

#if defined(__x86_64__) && defined(__GNUC__)
/* mingw's start-up code would otherwise reset the x87 state differently
 * from what the tests expect on Windows */
void _fpreset(void) {}
#endif

int winetest_debug = 1;
int winetest_interactive = 0;
int winetest_report_success = 0;
int winetest_report_flaky = 0;
int winetest_time = 0;
int winetest_mute_threshold = 42;
const char *winetest_platform = "windows";

/* the name of the test unit being run, for the summary line */
static const char *winetest_current_test;
static int winetest_argc;
static char **winetest_argv;
static DWORD winetest_start_ticks;
static BOOL winetest_color;
static HANDLE winetest_output_mutex;

static LONG winetest_successes;
static LONG winetest_failures;
static LONG winetest_flaky_failures;
static LONG winetest_skipped;
static LONG winetest_todo_successes;
static LONG winetest_todo_failures;
static LONG winetest_muted_todo_successes;
static LONG winetest_muted_skipped;
static LONG winetest_muted_traces;

/* per source line counters for muting, indexed modulo their size */
static LONG winetest_line_counters[16384];

#define WINETEST_MAX_CONTEXT 8
#define WINETEST_CONTEXT_LEN 128

/* what each thread remembers between calls */
struct winetest_thread_state
{
    const char *current_file;
    int current_line;
    int todo_level;                  /* bit stack: one bit per todo_if */
    int flaky_level;                 /* bit stack: one bit per flaky_if */
    int todo_do_loop;
    int flaky_do_loop;
    unsigned int context_count;
    char context[WINETEST_MAX_CONTEXT][WINETEST_CONTEXT_LEN];
};

static DWORD winetest_tls_index = TLS_OUT_OF_INDEXES;

static struct winetest_thread_state *winetest_get_state(void)
{
    struct winetest_thread_state *state;
    DWORD last_error = GetLastError();

    if (winetest_tls_index == TLS_OUT_OF_INDEXES)
        winetest_tls_index = TlsAlloc();
    if (!(state = TlsGetValue( winetest_tls_index )))
    {
        state = calloc( 1, sizeof(*state) );
        state->current_file = "";
        TlsSetValue( winetest_tls_index, state );
    }
    /* the harness must not disturb what the code under test reports */
    SetLastError( last_error );
    return state;
}

static const char *winetest_basename( const char *file )
{
    const char *p, *name = file;

    for (p = file; *p; p++)
        if (*p == '/' || *p == '\\') name = p + 1;
    return name;
}

/* output goes through one buffer per message, written under a mutex so
 * that lines from several threads or processes never interleave */
struct winetest_line
{
    char text[4096];
    size_t len;
};

static void winetest_line_vadd( struct winetest_line *line, const char *fmt, va_list args )
{
    int n;

    if (line->len >= sizeof(line->text) - 1) return;
    n = vsnprintf( line->text + line->len, sizeof(line->text) - line->len, fmt, args );
    if (n < 0) return;
    line->len += n;
    if (line->len >= sizeof(line->text)) line->len = sizeof(line->text) - 1;
}

static void __WINE_PRINTF_ATTR(2,3) winetest_line_add( struct winetest_line *line, const char *fmt, ... )
{
    va_list args;

    va_start( args, fmt );
    winetest_line_vadd( line, fmt, args );
    va_end( args );
}

static void winetest_line_flush( struct winetest_line *line )
{
    DWORD err = GetLastError();

    if (winetest_output_mutex) WaitForSingleObject( winetest_output_mutex, INFINITE );
    fwrite( line->text, 1, line->len, stdout );
    fflush( stdout );
    if (winetest_output_mutex) ReleaseMutex( winetest_output_mutex );
    line->len = 0;
    SetLastError( err );
}

static const char *winetest_elapsed( char *buffer, size_t size )
{
    DWORD now;

    if (!winetest_time) return "";
    now = GetTickCount() - winetest_start_ticks;
    snprintf( buffer, size, "%lu.%03lu", (unsigned long)(now / 1000), (unsigned long)(now % 1000) );
    return buffer;
}

static void winetest_line_location( struct winetest_line *line, const char *color )
{
    struct winetest_thread_state *state = winetest_get_state();
    char elapsed[32];

    if (winetest_color && color) winetest_line_add( line, "%s", color );
    winetest_line_add( line, "%s:%d:%s ", winetest_basename( state->current_file ),
                       state->current_line, winetest_elapsed( elapsed, sizeof(elapsed) ) );
}

static void winetest_line_context( struct winetest_line *line )
{
    struct winetest_thread_state *state = winetest_get_state();
    unsigned int i;

    for (i = 0; i < state->context_count && i < WINETEST_MAX_CONTEXT; i++)
        winetest_line_add( line, "%s: ", state->context[i] );
}

static void winetest_line_end_color( struct winetest_line *line, const char *color )
{
    if (winetest_color && color) winetest_line_add( line, "\033[0m" );
}

#define WINETEST_COLOR_FAIL  "\033[1;31m"
#define WINETEST_COLOR_TODO  "\033[1;33m"
#define WINETEST_COLOR_SKIP  "\033[1;34m"
#define WINETEST_COLOR_FLAKY "\033[1;35m"

/* prints "kind: context: message" after the location, in one write */
static void winetest_report( const char *color, const char *kind, const char *msg, va_list args )
{
    struct winetest_line line = { .len = 0 };

    winetest_line_location( &line, color );
    if (kind) winetest_line_add( &line, "%s", kind );
    winetest_line_context( &line );
    winetest_line_vadd( &line, msg, args );
    winetest_line_end_color( &line, color );
    winetest_line_flush( &line );
}

/* returns TRUE when a todo, skip or trace line may still be printed */
static BOOL winetest_count_line( LONG *muted_counter )
{
    struct winetest_thread_state *state = winetest_get_state();
    LONG count;

    if (winetest_debug > 1) return TRUE;
    count = InterlockedIncrement( &winetest_line_counters[state->current_line % ARRAY_SIZE(winetest_line_counters)] );
    if (count < winetest_mute_threshold) return TRUE;
    if (count == winetest_mute_threshold)
    {
        struct winetest_line line = { .len = 0 };

        winetest_line_location( &line, NULL );
        winetest_line_add( &line, "Line has been silenced after %d occurrences\n", winetest_mute_threshold );
        winetest_line_flush( &line );
    }
    InterlockedIncrement( muted_counter );
    return FALSE;
}

void winetest_set_location( const char *file, int line )
{
    struct winetest_thread_state *state = winetest_get_state();

    state->current_file = file;
    state->current_line = line;
}

int broken( int condition )
{
    return !strcmp( winetest_platform, "windows" ) && condition;
}

int winetest_vok( int condition, const char *msg, va_list args )
{
    struct winetest_thread_state *state = winetest_get_state();

    if (state->todo_level)
    {
        if (condition)
        {
            if (state->flaky_level)
            {
                winetest_report( WINETEST_COLOR_FLAKY, "Test succeeded inside flaky todo block: ", msg, args );
                InterlockedIncrement( &winetest_flaky_failures );
            }
            else
            {
                winetest_report( WINETEST_COLOR_FAIL, "Test succeeded inside todo block: ", msg, args );
                InterlockedIncrement( &winetest_todo_failures );
            }
            return 0;
        }
        if (winetest_debug > 0 && winetest_count_line( &winetest_muted_todo_successes ))
            winetest_report( WINETEST_COLOR_TODO, "Test marked todo: ", msg, args );
        InterlockedIncrement( &winetest_todo_successes );
        return 1;
    }

    if (!condition)
    {
        if (state->flaky_level)
        {
            winetest_report( WINETEST_COLOR_FLAKY, "Test marked flaky: ", msg, args );
            InterlockedIncrement( &winetest_flaky_failures );
        }
        else
        {
            winetest_report( WINETEST_COLOR_FAIL, "Test failed: ", msg, args );
            InterlockedIncrement( &winetest_failures );
        }
        return 0;
    }

    if (winetest_report_success)
    {
        struct winetest_line line = { .len = 0 };

        winetest_line_location( &line, NULL );
        winetest_line_add( &line, "Test succeeded\n" );
        winetest_line_flush( &line );
    }
    InterlockedIncrement( &winetest_successes );
    return 1;
}

int winetest_ok( int condition, const char *msg, ... )
{
    va_list args;
    int ret;

    va_start( args, msg );
    ret = winetest_vok( condition, msg, args );
    va_end( args );
    return ret;
}

void winetest_vskip( const char *msg, va_list args )
{
    if (winetest_count_line( &winetest_muted_skipped ))
        winetest_report( WINETEST_COLOR_SKIP, "Tests skipped: ", msg, args );
    InterlockedIncrement( &winetest_skipped );
}

void winetest_skip( const char *msg, ... )
{
    va_list args;

    va_start( args, msg );
    winetest_vskip( msg, args );
    va_end( args );
}

void winetest_win_skip( const char *msg, ... )
{
    va_list args;

    /* a missing feature is acceptable on Windows, never on Wine */
    va_start( args, msg );
    if (!strcmp( winetest_platform, "windows" )) winetest_vskip( msg, args );
    else winetest_vok( 0, msg, args );
    va_end( args );
}

void winetest_trace( const char *msg, ... )
{
    va_list args;

    if (winetest_debug <= 0) return;
    if (!winetest_count_line( &winetest_muted_traces )) return;
    va_start( args, msg );
    winetest_report( NULL, NULL, msg, args );
    va_end( args );
}

void winetest_subtest( const char *name )
{
    struct winetest_line line = { .len = 0 };

    winetest_line_location( &line, NULL );
    winetest_line_add( &line, "Subtest %s\n", name );
    winetest_line_flush( &line );
}

void winetest_ignore_exceptions( BOOL ignore )
{
    struct winetest_line line = { .len = 0 };

    winetest_line_location( &line, NULL );
    winetest_line_add( &line, "IgnoreExceptions=%d\n", ignore ? 1 : 0 );
    winetest_line_flush( &line );
}

void winetest_start_todo( int is_todo )
{
    struct winetest_thread_state *state = winetest_get_state();

    state->todo_level = (state->todo_level << 1) | (is_todo != 0);
    state->todo_do_loop = 1;
}

int winetest_loop_todo(void)
{
    struct winetest_thread_state *state = winetest_get_state();
    int do_loop = state->todo_do_loop;

    state->todo_do_loop = 0;
    return do_loop;
}

void winetest_end_todo(void)
{
    struct winetest_thread_state *state = winetest_get_state();

    state->todo_level >>= 1;
}

void winetest_start_flaky( int is_flaky )
{
    struct winetest_thread_state *state = winetest_get_state();

    state->flaky_level = (state->flaky_level << 1) | (is_flaky != 0);
    state->flaky_do_loop = 1;
}

int winetest_loop_flaky(void)
{
    struct winetest_thread_state *state = winetest_get_state();
    int do_loop = state->flaky_do_loop;

    state->flaky_do_loop = 0;
    return do_loop;
}

void winetest_end_flaky(void)
{
    struct winetest_thread_state *state = winetest_get_state();

    state->flaky_level >>= 1;
}

void winetest_push_context( const char *fmt, ... )
{
    struct winetest_thread_state *state = winetest_get_state();
    va_list args;

    if (state->context_count < WINETEST_MAX_CONTEXT)
    {
        va_start( args, fmt );
        vsnprintf( state->context[state->context_count], WINETEST_CONTEXT_LEN, fmt, args );
        va_end( args );
        state->context[state->context_count][WINETEST_CONTEXT_LEN - 1] = 0;
    }
    state->context_count++;
}

void winetest_pop_context(void)
{
    struct winetest_thread_state *state = winetest_get_state();

    if (state->context_count) state->context_count--;
}

int winetest_get_mainargs( char ***pargv )
{
    *pargv = winetest_argv;
    return winetest_argc;
}

LONG winetest_get_failures(void)
{
    return winetest_failures;
}

void winetest_add_failures( LONG new_failures )
{
    while (new_failures-- > 0)
        winetest_ok( 0, "another test failed\n" );
}

void winetest_wait_child_process( HANDLE process )
{
    DWORD exit_code = 1;

    if (WaitForSingleObject( process, 30000 ))
    {
        winetest_ok( 0, "timed out waiting for the child process\n" );
        return;
    }
    GetExitCodeProcess( process, &exit_code );
    if (exit_code > 255)
    {
        struct winetest_line line = { .len = 0 };

        winetest_line_location( &line, WINETEST_COLOR_FAIL );
        winetest_line_add( &line, "unhandled exception %08x in child process %04x\n",
                           (unsigned int)exit_code, (unsigned int)GetProcessId( process ) );
        winetest_line_end_color( &line, WINETEST_COLOR_FAIL );
        winetest_line_flush( &line );
        InterlockedIncrement( &winetest_failures );
    }
    else InterlockedExchangeAdd( &winetest_failures, exit_code );
}

static void winetest_print_summary(void)
{
    struct winetest_line line = { .len = 0 };
    LONG failed = winetest_failures + winetest_todo_failures;
    char elapsed[32];

    if (winetest_debug <= 0) return;
    if (winetest_muted_todo_successes || winetest_muted_skipped || winetest_muted_traces)
    {
        winetest_line_add( &line, "%04x:%s:%s Silenced %d todos, %d skips and %d traces.\n",
                           (unsigned int)GetCurrentProcessId(), winetest_current_test,
                           winetest_elapsed( elapsed, sizeof(elapsed) ),
                           (int)winetest_muted_todo_successes, (int)winetest_muted_skipped,
                           (int)winetest_muted_traces );
    }
    winetest_line_add( &line, "%04x:%s:%s %d tests executed (%d marked as todo, %d as flaky, %d %s), %d skipped.\n",
                       (unsigned int)GetCurrentProcessId(), winetest_current_test,
                       winetest_elapsed( elapsed, sizeof(elapsed) ),
                       (int)(winetest_successes + winetest_failures + winetest_flaky_failures
                             + winetest_todo_successes + winetest_todo_failures),
                       (int)winetest_todo_successes, (int)winetest_flaky_failures, (int)failed,
                       failed == 1 ? "failure" : "failures", (int)winetest_skipped );
    winetest_line_flush( &line );
}

static int winetest_run( const struct test *test )
{
    LONG status;

    winetest_current_test = test->name;
    winetest_start_ticks = GetTickCount();
    test->func();
    winetest_print_summary();
    status = winetest_failures + winetest_todo_failures;
    if (winetest_report_flaky) status += winetest_flaky_failures;
    return status > 255 ? 255 : (int)status;
}

static void winetest_list(void)
{
    const struct test *test;

    fprintf( stdout, "Valid test names:\n" );
    for (test = winetest_testlist; test->name; test++)
        fprintf( stdout, "    %s\n", test->name );
}

static const struct test *winetest_find( const char *name )
{
    const struct test *test;
    const char *base = winetest_basename( name );
    size_t len = strlen( base );

    if (len > 2 && !strcmp( base + len - 2, ".c" )) len -= 2;
    for (test = winetest_testlist; test->name; test++)
        if (strlen( test->name ) == len && !strncmp( test->name, base, len )) return test;
    return NULL;
}

static LONG CALLBACK winetest_exception_filter( EXCEPTION_POINTERS *ptrs )
{
    struct winetest_thread_state *state = winetest_get_state();
    struct winetest_line line = { .len = 0 };

    if (state->current_line)
    {
        winetest_line_location( &line, NULL );
        winetest_line_add( &line, "this is the last test seen before the exception\n" );
    }
    winetest_line_add( &line, "%04x:%s: unhandled exception %08x at %p\n",
                       (unsigned int)GetCurrentProcessId(), winetest_current_test,
                       (unsigned int)ptrs->ExceptionRecord->ExceptionCode,
                       ptrs->ExceptionRecord->ExceptionAddress );
    winetest_line_flush( &line );
    ExitProcess( 1 );
}

static int winetest_env_int( const char *name )
{
    const char *value = getenv( name );

    return value ? atoi( value ) : 0;
}

static const char *winetest_detect_platform(void)
{
    HMODULE ntdll = GetModuleHandleA( "ntdll.dll" );

    return ntdll && GetProcAddress( ntdll, "wine_server_call" ) ? "wine" : "windows";
}

int main( int argc, char **argv )
{
    const struct test *test;
    const char *value;

    setvbuf( stdout, NULL, _IONBF, 0 );
    winetest_output_mutex = CreateMutexA( NULL, FALSE, "winetest_print_mutex" );
    winetest_argc = argc;
    winetest_argv = argv;

    if ((value = getenv( "WINETEST_PLATFORM" ))) winetest_platform = strdup( value );
    else winetest_platform = winetest_detect_platform();
    if ((value = getenv( "WINETEST_DEBUG" ))) winetest_debug = atoi( value );
    winetest_interactive = winetest_env_int( "WINETEST_INTERACTIVE" );
    winetest_report_flaky = winetest_env_int( "WINETEST_REPORT_FLAKY" );
    winetest_report_success = winetest_env_int( "WINETEST_REPORT_SUCCESS" );
    winetest_time = winetest_env_int( "WINETEST_TIME" );
    if ((value = getenv( "WINETEST_COLOR" )))
        winetest_color = !strcmp( value, "auto" ) ? _isatty( _fileno( stdout ) ) : atoi( value ) != 0;

    if (!strcmp( winetest_platform, "windows" ))
        SetUnhandledExceptionFilter( winetest_exception_filter );
    if (!winetest_interactive)
        SetErrorMode( SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX );

    if (argc < 2)
    {
        if (winetest_testlist[0].name && !winetest_testlist[1].name)
            return winetest_run( &winetest_testlist[0] );
        fprintf( stdout, "Usage: %s test_name\n\n", argv[0] );
        winetest_list();
        return 1;
    }
    if (!strcmp( argv[1], "--list" ))
    {
        winetest_list();
        return 0;
    }
    if (!(test = winetest_find( argv[1] )))
    {
        fprintf( stdout, "Fatal: test '%s' does not exist.\n", argv[1] );
        return 1;
    }
    return winetest_run( test );
}

#endif  /* STANDALONE */

#endif  /* __WINE_WINE_TEST_H */
