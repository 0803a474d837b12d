// send.attachment: a file next to the scenario, or one exosim generates.
#include "harness/attachment.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace exosim::harness {

namespace {

// A one-page PDF with a correct xref table, small enough to inspect by eye, binary enough
// (the %âãÏÓ comment line) that a client must encode it as binary.
std::string generated_pdf() {
    std::string header = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::string> objects = {
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n",
        "4 0 obj\n<< /Length 42 >>\nstream\nBT /F1 24 Tf 72 700 Td (exosim scan) Tj ET\nendstream\nendobj\n",
        "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n",
    };
    std::string pdf = header;
    std::vector<std::size_t> offsets;
    for (const auto& o : objects) {
        offsets.push_back(pdf.size());
        pdf += o;
    }
    std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t off : offsets) {
        std::string n = std::to_string(off);
        pdf += std::string(10 - n.size(), '0') + n + " 00000 n \n";
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

}  // namespace

namespace {

constexpr std::string_view generated_prefix = "generated:";
constexpr std::string_view generated_pdf_name = "exosim-scan.pdf";

std::filesystem::path scenario_relative(const scenario::Scenario& s, const std::string& spec) {
    std::filesystem::path path = spec;
    if (path.is_relative() && !s.source_file.empty()) path = std::filesystem::path(s.source_file).parent_path() / path;
    return path;
}

}  // namespace

std::optional<scenario::ExpectedAttachment> expected_attachment(const scenario::Scenario& s) {
    if (!s.send.attachment) return std::nullopt;
    const std::string& spec = *s.send.attachment;
    if (spec.rfind(generated_prefix, 0) == 0) {
        if (spec.substr(generated_prefix.size()) != "pdf") return std::nullopt;
        return scenario::ExpectedAttachment{std::string(generated_pdf_name), generated_pdf()};
    }
    std::filesystem::path path = scenario_relative(s, spec);
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return scenario::ExpectedAttachment{path.filename().string(), std::string(std::istreambuf_iterator<char>(in), {})};
}

std::filesystem::path prepare_attachment(const scenario::Scenario& s, const std::filesystem::path& work_dir) {
    if (!s.send.attachment) return {};
    const std::string& spec = *s.send.attachment;
    if (spec.rfind(generated_prefix, 0) == 0) {
        std::string kind = spec.substr(generated_prefix.size());
        if (kind != "pdf") throw std::runtime_error("send.attachment: unknown generated kind '" + kind + "' (known: pdf)");
        std::filesystem::create_directories(work_dir);
        auto path = work_dir / generated_pdf_name;
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << generated_pdf();
        if (!out) throw std::runtime_error("send.attachment: cannot write " + path.string());
        return path;
    }
    std::filesystem::path path = scenario_relative(s, spec);
    if (!std::filesystem::is_regular_file(path))
        throw std::runtime_error("send.attachment: no such file " + path.string());
    return std::filesystem::absolute(path);
}

}  // namespace exosim::harness
