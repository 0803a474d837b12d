#include "identity/form.hpp"

#include <gtest/gtest.h>

namespace exosim::identity {
namespace {

using Items = std::vector<std::pair<std::string, std::string>>;

struct Row {
    std::string in;
    FormError error;
    Items items;
};

TEST(Form, Table) {
    const std::vector<Row> rows = {
        {"", FormError::none, {}},
        {"a=1", FormError::none, {{"a", "1"}}},
        {"a=1&b=2", FormError::none, {{"a", "1"}, {"b", "2"}}},
        {"a=&b", FormError::none, {{"a", ""}, {"b", ""}}},
        {"&&a=1&&", FormError::none, {{"a", "1"}}},
        {"scope=openid+offline_access", FormError::none, {{"scope", "openid offline_access"}}},
        {"x=%2B%20%2b%41", FormError::none, {{"x", "+ +A"}}},
        {"r=https%3A%2F%2Fh%2Fp%3Fq%3D1", FormError::none, {{"r", "https://h/p?q=1"}}},
        {"a=b=c", FormError::none, {{"a", "b=c"}}},
        {"%61=1", FormError::none, {{"a", "1"}}},
        {"n=%00", FormError::none, {{"n", std::string(1, '\0')}}},
        {"a=%", FormError::bad_percent_encoding, {}},
        {"a=%4", FormError::bad_percent_encoding, {}},
        {"a=%zz", FormError::bad_percent_encoding, {}},
        {"a=1&a=2", FormError::duplicate_parameter, {}},
        {"a=1&%61=2", FormError::duplicate_parameter, {}},
        {"a=1&A=2", FormError::none, {{"a", "1"}, {"A", "2"}}},
    };
    for (const auto& row : rows) {
        const FormResult r = decode_form(row.in);
        EXPECT_EQ(r.error, row.error) << row.in;
        EXPECT_EQ(r.params.items, row.items) << row.in;
    }
    EXPECT_EQ(decode_form("a=1&a=2").offending_name, "a");
}

TEST(Form, SplitAtEveryByteGivesTheSameResult) {
    const std::string in = "grant_type=password&username=a%40b.c&password=p%26w+d&scope=x%20y&z";
    const FormResult whole = decode_form(in);
    ASSERT_TRUE(whole.ok());
    for (std::size_t i = 0; i <= in.size(); ++i) {
        FormDecoder d;
        d.feed(std::string_view(in).substr(0, i));
        d.feed(std::string_view(in).substr(i));
        const FormResult r = d.finish();
        EXPECT_EQ(r.params.items, whole.params.items) << i;
    }
}

TEST(Form, InputLimitAtNMinusOneNAndNPlusOne) {
    FormLimits l;
    l.max_input = 10;
    EXPECT_TRUE(decode_form("a=12345678", l).ok());                 // n
    EXPECT_TRUE(decode_form("a=1234567", l).ok());                  // n-1
    EXPECT_EQ(decode_form("a=123456789", l).error, FormError::input_too_large);  // n+1
}

TEST(Form, ParameterCountLimit) {
    FormLimits l;
    l.max_parameters = 3;
    EXPECT_TRUE(decode_form("a=1&b=2", l).ok());
    EXPECT_TRUE(decode_form("a=1&b=2&c=3", l).ok());
    EXPECT_EQ(decode_form("a=1&b=2&c=3&d=4", l).error, FormError::too_many_parameters);
}

TEST(Form, NameAndValueLimitsCountDecodedOctets) {
    FormLimits l;
    l.max_name = 4;
    l.max_value = 5;
    EXPECT_TRUE(decode_form("abc=12345", l).ok());
    EXPECT_TRUE(decode_form("abcd=1234", l).ok());
    EXPECT_EQ(decode_form("abcde=1", l).error, FormError::name_too_long);
    EXPECT_TRUE(decode_form("a=%31%32%33%34%35", l).ok());  // 5 decoded octets
    EXPECT_EQ(decode_form("a=123456", l).error, FormError::value_too_long);
    EXPECT_EQ(decode_form("a=123456", l).offending_name, "a");
}

TEST(Form, DefaultsAreNamed) {
    const FormLimits l;
    EXPECT_EQ(l.max_input, 64u * 1024);
    EXPECT_EQ(l.max_parameters, 64u);
    EXPECT_EQ(l.max_name, 128u);
    EXPECT_EQ(l.max_value, 16u * 1024);
    FormLimits wide;
    wide.max_value = 1 << 20;
    EXPECT_TRUE(decode_form("a=" + std::string(64 * 1024 - 2, 'b'), wide).ok());
    EXPECT_EQ(decode_form("a=" + std::string(64 * 1024 - 1, 'b'), wide).error, FormError::input_too_large);
}

TEST(Form, PercentEncodeRoundTrips) {
    const std::string raw = "a b&c=d/é%+";
    EXPECT_EQ(percent_encode("a b&"), "a%20b%26");
    EXPECT_EQ(decode_form("x=" + percent_encode(raw)).params.get("x"), raw);
}

}  // namespace
}  // namespace exosim::identity
