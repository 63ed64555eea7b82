// LeakSanitizer suppressions compiled into sanitizer builds (OPAUDIT_SANITIZE):
// graphviz and fontconfig keep plugin and font caches for the life of the
// process, which LSan reports as leaks. Leaks in opaudit's own code are
// still reported.
extern "C" const char *__lsan_default_suppressions() {
  return "leak:libgvc.so\nleak:libfontconfig.so\nleak:libgvplugin_\nleak:libcgraph.so\n"
         "leak:libcdt.so\nleak:libpango\nleak:libcairo\nleak:libglib\n";
}

// The suppressions are expected, so LSan's "Suppressions used" table at exit
// is noise on stderr (a test checks that `graph` writes nothing there).
extern "C" const char *__lsan_default_options() { return "print_suppressions=0"; }
