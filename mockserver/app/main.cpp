// exosim: an offline fake of Exchange Online's SMTP endpoints. See README.md.
#include "app/cli.hpp"

int main(int argc, char** argv) { return exosim::app::run_cli(argc, argv); }
