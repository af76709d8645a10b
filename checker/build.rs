//! The exercise catalogue is embedded with `include_dir!`, which stable Cargo does not
//! track: ask for a rebuild whenever a file under `exercises/` changes.

fn main() {
    println!("cargo:rerun-if-changed=../exercises");
    println!("cargo:rerun-if-changed=../templates");
}
