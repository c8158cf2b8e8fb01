# --html FILE (check, replay, explain): the textbook picture as SVG in one
# self-contained page (html/). Tested as a person looks at it: headless
# Chromium renders the page to a PNG; its DOM must hold every process,
# entry, object and arrow, and the console must stay silent
# (test/html_check.py). properties/cli/docs/ keeps one PNG of each.
# Included from CMakeLists.txt, which defines handlecheck_cli_test.
# One fixed divergence without Wine: the model (windows) against the model
# under the wine profile, through the check harness.
add_executable(hc_html_divergence test/HtmlDivergence.cpp)
target_link_libraries(hc_html_divergence PRIVATE hc_cli)
handlecheck_warnings(hc_html_divergence)

find_program(HC_CHROMIUM NAMES chromium chromium-browser google-chrome)
if(NOT HANDLECHECK_PYTHON3 OR NOT HC_CHROMIUM)
  message(STATUS "handlecheck: the --html tests (label browser) are left out: they need "
                 "python3 and chromium (ci/setup.sh installs both)")
endif()
if(HANDLECHECK_PYTHON3 AND HC_CHROMIUM)
  set(HC_HTML_OUT ${CMAKE_BINARY_DIR}/html-tests)
  set(HC_HTML_CHECK ${HANDLECHECK_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/test/html_check.py)
  add_test(NAME Cli::Html::Explain::Write
    COMMAND handlecheck explain ${HC_CORPUS_DIR}/textbook-mailslot.hcs
            --html ${HC_HTML_OUT}/explain-textbook.html)
  add_test(NAME Cli::Html::Divergence::Write
    COMMAND hc_html_divergence ${HC_CORPUS_DIR}/html-report-divergence.hcs
            ${HC_HTML_OUT}/check-divergence.html)
  add_test(NAME Cli::Html::Explain::WriteAgain
    COMMAND handlecheck explain ${HC_CORPUS_DIR}/textbook-mailslot.hcs
            --html ${HC_HTML_OUT}/explain-textbook-again.html)
  set_tests_properties(Cli::Html::Explain::Write Cli::Html::Explain::WriteAgain PROPERTIES
    FIXTURES_SETUP html-explain)
  set_tests_properties(Cli::Html::Divergence::Write PROPERTIES FIXTURES_SETUP html-divergence)
  # After the spawn (step 2): P0's mailslot handle, the child's inherited
  # entry at the same value, both arrows into one mailslot with usage count 2.
  add_test(NAME Cli::Html::Explain::TextbookPicture
    COMMAND ${HC_HTML_CHECK} check ${HC_HTML_OUT}/explain-textbook.html
            ${HC_HTML_OUT}/explain-textbook.png --size 1100,1400
            --expect "#f2-model-entry-P0-0x4" --expect "#f2-model-entry-C1-0x4.inherited"
            --expect "#f2-model-arrow-P0-0x4" --expect "#f2-model-arrow-C1-0x4"
            --expect-text "#f2-model-object-o2=mailslot demo"
            --expect-text "#f2-model-object-o2=usage count 2")
  set_tests_properties(Cli::Html::Explain::TextbookPicture PROPERTIES FIXTURES_REQUIRED html-explain)
  # Before and after the departing spawn, model | real: the process handles
  # differ, the grandchild's inherited copy of E is there on both sides.
  add_test(NAME Cli::Html::Divergence::BeforeAndAfter
    COMMAND ${HC_HTML_CHECK} check ${HC_HTML_OUT}/check-divergence.html
            ${HC_HTML_OUT}/check-divergence.png --size 1480,1580
            --expect "#f1-before-model-process-C1" --expect "#f1-before-real-process-C1"
            --expect "#f2-after-model-entry-C1-0xc.differs"
            --expect "#f2-after-real-entry-C1-0xc.differs"
            --expect "#f2-after-model-entry-C2-0x4.inherited"
            --expect "#f2-after-real-entry-C2-0x4.inherited"
            --expect "#f2-after-real-arrow-C2-0x4")
  set_tests_properties(Cli::Html::Divergence::BeforeAndAfter PROPERTIES
    FIXTURES_REQUIRED html-divergence)
  # The same input gives the same bytes.
  add_test(NAME Cli::Html::Explain::SameInputSameBytes
    COMMAND ${CMAKE_COMMAND} -E compare_files ${HC_HTML_OUT}/explain-textbook.html
            ${HC_HTML_OUT}/explain-textbook-again.html)
  set_tests_properties(Cli::Html::Explain::SameInputSameBytes PROPERTIES
    FIXTURES_REQUIRED html-explain)
  # replay: the picture at the failing line, its subject and count marked.
  handlecheck_cli_test(Cli::Html::Replay::Write EXIT 1
    ARGS replay ${HC_CORPUS_DIR}/wrong-expectation.hcs --html ${HC_HTML_OUT}/replay-failing.html
    STDOUT "line 4: query MS: expected count=3, got count=2")
  set_tests_properties(Cli::Html::Replay::Write PROPERTIES FIXTURES_SETUP html-replay)
  add_test(NAME Cli::Html::Replay::FailingLinePicture
    COMMAND ${HC_HTML_CHECK} check ${HC_HTML_OUT}/replay-failing.html
            ${HC_HTML_OUT}/replay-failing.png --size 1100,700
            --expect "#f1-model-entry-P0-0x4.differs" --expect "#f1-model-object-o2.differs"
            --expect "#f1-model-entry-C1-0x4.inherited")
  set_tests_properties(Cli::Html::Replay::FailingLinePicture PROPERTIES
    FIXTURES_REQUIRED html-replay)
  # replay: a read that would block; every holder of the pipe's write end is
  # marked with the line that gave it the handle, and the write end itself.
  handlecheck_cli_test(Cli::Html::Replay::BlockedWrite EXIT 3
    ARGS replay ${HC_CORPUS_DIR}/writer-held-by-sibling.hcs
         --html ${HC_HTML_OUT}/replay-blocked.html
    STDOUT "line 19: read R would block forever")
  set_tests_properties(Cli::Html::Replay::BlockedWrite PROPERTIES FIXTURES_SETUP html-blocked)
  add_test(NAME Cli::Html::Replay::BlockedReadHolders
    COMMAND ${HC_HTML_CHECK} check ${HC_HTML_OUT}/replay-blocked.html
            ${HC_HTML_OUT}/replay-blocked.png --size 1100,900
            --expect "#f1-model-entry-C2-0x8.holder" --expect "#f1-model-entry-G1-0x8.holder"
            --expect-text "#f1-model-entry-C2-0x8=line 12"
            --expect-text "#f1-model-entry-G1-0x8=line 13"
            --expect "#f1-model-object-o3.held" --expect "#f1-model-arrow-G1-0x8")
  set_tests_properties(Cli::Html::Replay::BlockedReadHolders PROPERTIES
    FIXTURES_REQUIRED html-blocked)
  # The textbook hang (docs/pipes.md): after the parent closed its W, the
  # peek at line 14 sees the writer alive; both children's inherited W are
  # marked as holders with the line that gave them, the write end outlined.
  add_test(NAME Cli::Html::Explain::PipeHolders::Write
    COMMAND handlecheck explain ${HC_CORPUS_DIR}/textbook-pipe-eof.hcs
            --html ${HC_HTML_OUT}/explain-pipe-eof.html)
  set_tests_properties(Cli::Html::Explain::PipeHolders::Write PROPERTIES
    LABELS model TIMEOUT 120 FIXTURES_SETUP html-pipe-eof)
  add_test(NAME Cli::Html::Explain::PipeHolders
    COMMAND ${HC_HTML_CHECK} check ${HC_HTML_OUT}/explain-pipe-eof.html
            ${HC_HTML_OUT}/explain-pipe-eof.png --size 1100,4200
            --expect "#f6-model-entry-C1-0x8.holder" --expect "#f6-model-entry-C2-0x8.holder"
            --expect "#f6-model-object-o3.held" --expect "#f9-model-entry-C2-0x8.holder"
            --expect-text "#f6-model-entry-C1-0x8=line 10"
            --expect-text "#f6-model-entry-C2-0x8=line 11")
  set_tests_properties(Cli::Html::Explain::PipeHolders PROPERTIES
    LABELS browser TIMEOUT 120 FIXTURES_REQUIRED html-pipe-eof)
  # Past 8 processes or 60 handles, what did not change collapses.
  add_test(NAME Cli::Html::Explain::LargeTreeWrite
    COMMAND handlecheck explain ${HC_CORPUS_DIR}/html-large-tree.hcs
            --html ${HC_HTML_OUT}/explain-large-tree.html)
  set_tests_properties(Cli::Html::Explain::LargeTreeWrite PROPERTIES
    FIXTURES_SETUP html-large)
  add_test(NAME Cli::Html::Explain::LargeTreeCollapses
    COMMAND ${HC_HTML_CHECK} check ${HC_HTML_OUT}/explain-large-tree.html
            ${HC_HTML_OUT}/explain-large-tree.png --size 1100,1400
            --expect "#f22-model-process-C1.collapsed" --expect "#f22-model-process-C9.collapsed"
            --expect "#f22-model-arrow-P0-0x4")
  set_tests_properties(Cli::Html::Explain::LargeTreeCollapses PROPERTIES
    FIXTURES_REQUIRED html-large)
  # The check notices a missing arrow.
  add_test(NAME Cli::Html::Explain::MissingArrowFails
    COMMAND ${HC_HTML_CHECK} mutant ${HC_HTML_OUT}/explain-textbook.html)
  add_test(NAME Cli::Html::Divergence::MissingArrowFails
    COMMAND ${HC_HTML_CHECK} mutant ${HC_HTML_OUT}/check-divergence.html)
  set_tests_properties(Cli::Html::Explain::MissingArrowFails PROPERTIES
    FIXTURES_REQUIRED html-explain)
  set_tests_properties(Cli::Html::Divergence::MissingArrowFails PROPERTIES
    FIXTURES_REQUIRED html-divergence)
  # Writing a page needs no browser (label model); looking at it does.
  set_tests_properties(Cli::Html::Explain::Write Cli::Html::Explain::WriteAgain
    Cli::Html::Divergence::Write Cli::Html::Explain::SameInputSameBytes
    Cli::Html::Explain::LargeTreeWrite
    PROPERTIES LABELS model TIMEOUT 120)
  set_tests_properties(Cli::Html::Replay::FailingLinePicture Cli::Html::Explain::TextbookPicture
    Cli::Html::Replay::BlockedReadHolders
    Cli::Html::Explain::LargeTreeCollapses Cli::Html::Divergence::BeforeAndAfter
    Cli::Html::Explain::MissingArrowFails Cli::Html::Divergence::MissingArrowFails
    PROPERTIES LABELS browser TIMEOUT 120)
  if(NOT WIN32)
    # check --html against Wine: with creates, queries and closes only, seed 1
    # finds Wine's mailslot-server-never-inheritable first (figures f1, f2),
    # whatever the other operations draw; its picture after the step marks
    # P0's handle.
    handlecheck_cli_test(Wine::Check::Html::Write EXIT 1
      ARGS check --backend wine --profile windows --seed 1 --tests 12 --max-steps 20
           --ops create,query,close
           --out ${HC_HTML_OUT}/wine --html ${HC_HTML_OUT}/wine/report.html
      STDOUT "catalogue quirk\\(s\\) seen")
    set_tests_properties(Wine::Check::Html::Write PROPERTIES FIXTURES_SETUP html-wine TIMEOUT 600)
    add_test(NAME Wine::Check::Html::DivergencePictures
      COMMAND ${HC_HTML_CHECK} check ${HC_HTML_OUT}/wine/report.html
              ${HC_HTML_OUT}/wine/report.png --size 1480,1600
              --expect "#f2-after-model-entry-P0-0x4.differs" --expect "#f2-after-real-process-P0"
              --expect "#f2-after-model-arrow-P0-0x4")
    set_tests_properties(Wine::Check::Html::DivergencePictures PROPERTIES
      LABELS wine FIXTURES_REQUIRED html-wine TIMEOUT 120)
    # replay --html against Wine: at the failing line of the textbook example
    # the picture stands beside the model's; the child's missing inherited
    # entry and the mailslot's count are marked.
    handlecheck_cli_test(Wine::Replay::Html::Write EXIT 1
      ARGS replay ${HC_CORPUS_DIR}/textbook-mailslot.hcs --backend wine
           --html ${HC_HTML_OUT}/wine/replay.html
      STDOUT "line 4: query MS: expected count=2, got count=1")
    set_tests_properties(Wine::Replay::Html::Write PROPERTIES FIXTURES_SETUP html-wine-replay)
    add_test(NAME Wine::Replay::Html::BesideTheModel
      COMMAND ${HC_HTML_CHECK} check ${HC_HTML_OUT}/wine/replay.html
              ${HC_HTML_OUT}/wine/replay.png --size 1480,800
              --expect "#f1-model-entry-C1-0x4.differs" --expect "#f1-model-object-o2.differs"
              --expect "#f1-real-object-o2.differs" --expect "#f1-real-process-C1")
    set_tests_properties(Wine::Replay::Html::BesideTheModel PROPERTIES
      LABELS wine FIXTURES_REQUIRED html-wine-replay TIMEOUT 120)
  endif()
endif()
