/* ALSA prints its own errors to stderr ("ALSA lib pcm.c:2666:(snd_pcm_open_noupdate)
 * Unknown PCM default", a dozen lines on a machine without a sound card) before
 * cpal can report the failure; hark says what went wrong itself. The handler is
 * variadic, which stable Rust cannot define, hence this file. */
#include <alsa/asoundlib.h>

static void hark_alsa_silent(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

void hark_alsa_quiet(void) {
    snd_lib_error_set_handler(hark_alsa_silent);
}
