#include "control/config_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace exosim::control {
namespace {

TEST(ConfigJson, ConvertsScalarsByTheCoreSchema) {
    auto v = yaml_to_json("a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf: \"1\"\ng: text\nh: [x, 2]\ni: {j: false}\n");
    EXPECT_EQ(boost::json::serialize(v),
              R"({"a":1,"b":-2,"c":1.5E0,"d":true,"e":null,"f":"1","g":"text","h":["x",2],"i":{"j":false}})");
}

TEST(ConfigJson, RejectsInvalidYaml) { EXPECT_THROW(yaml_to_json("a: [1"), std::invalid_argument); }

}  // namespace
}  // namespace exosim::control
