#pragma once
// The picture drawn the textbook way as inline SVG: a box per process with
// its handle table on the left, a box per kernel object on the right, an
// arrow from each entry to its object. The same picture gives the same bytes.
//
// Elements a test (or a stylesheet) can find, each id starting with `id`:
//   g.process   #ID-process-P0        one per process (class collapsed when folded)
//   g.entry     #ID-entry-P0-0x4      one per table entry (classes inherited, differs)
//   g.object    #ID-object-o2         one per kernel object (class differs)
//   path.arrow  #ID-arrow-P0-0x4      entry -> object, data-entry / data-object name both ends
#include <string>

#include "Picture.h"

namespace hc::cli::html {

std::string svg(const Picture&, const std::string& id);

}  // namespace hc::cli::html
