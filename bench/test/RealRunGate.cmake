# The gate end to end on real runs: runs the canary benchmark for a baseline,
# then again (with HC_CANARY_SLOWDOWN=SLOWDOWN when given), and checks the
# exit code of ci/bench.sh comparing the two.
#   cmake -DCANARY=<exe> -DBENCH_SH=<ci/bench.sh> -DBASH=<bash> -DWORK=<dir>
#         -DEXPECT=<code> [-DSLOWDOWN=K] -P RealRunGate.cmake
cmake_minimum_required(VERSION 3.25)
file(MAKE_DIRECTORY "${WORK}")
set(run_args --benchmark_repetitions=6 --benchmark_min_time=0.05 --benchmark_out_format=json)

unset(ENV{HC_CANARY_SLOWDOWN})
execute_process(COMMAND "${CANARY}" ${run_args} "--benchmark_out=${WORK}/base.json"
                RESULT_VARIABLE code OUTPUT_QUIET)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "canary baseline run failed: ${code}")
endif()
if(DEFINED SLOWDOWN)
  set(ENV{HC_CANARY_SLOWDOWN} "${SLOWDOWN}")
endif()
execute_process(COMMAND "${CANARY}" ${run_args} "--benchmark_out=${WORK}/new.json"
                RESULT_VARIABLE code OUTPUT_QUIET)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "canary contender run failed: ${code}")
endif()

unset(ENV{GITHUB_STEP_SUMMARY})
# Judged on CPU time with a 25% threshold: a busy machine must not fail the
# unchanged run; a 3x slowdown is far beyond it.
execute_process(COMMAND "${BASH}" "${BENCH_SH}" --baseline "${WORK}/base.json"
                        --contender "${WORK}/new.json" --out "${WORK}/gate.json"
                        --cpu "^BM_Canary_" --threshold 25
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT code EQUAL EXPECT)
  message(FATAL_ERROR "ci/bench.sh exited with ${code}, expected ${EXPECT}")
endif()
