//! The `checker` binary: everything lives in the library, see `cli`.

fn main() -> std::process::ExitCode {
    checker::cli::main()
}
