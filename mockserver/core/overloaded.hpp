#pragma once
// Overloaded{lambdas...} for std::visit. Visitors list one lambda per alternative, without a
// catch-all `auto` overload, so that a new alternative of a closed variant (core::Action, the
// scenario effects, transport notes) does not compile until every visitor handles it.

namespace exosim::core {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace exosim::core
