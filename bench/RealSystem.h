#pragma once
// The real system the Wine/native benchmark families run on: agents under
// Wine off Windows, natively on Windows, with the profile the model must
// follow there (the wine profile under Wine, so that runs do not diverge).
#include "handlecheck/model/Profile.h"
#include "handlecheck/sut/RealBackend.h"

namespace hc::bench {

inline sut::RealBackendOptions realOptions() {
  sut::RealBackendOptions o;
#ifdef _WIN32
  o.wine = false;
#endif
  return o;
}

inline model::Profile realProfile() {
#ifdef _WIN32
  return model::windowsProfile();
#else
  return model::wineProfile();
#endif
}

}  // namespace hc::bench
