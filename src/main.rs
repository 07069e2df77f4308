use clap::Parser;
use copydesk::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Lsp(_) => {
            init_logging("copydesk=warn");
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            let code = rt.block_on(copydesk::server::run_stdio());
            // Leave now: an analysis still running on a blocking thread is not waited for.
            rt.shutdown_background();
            code
        }
        Command::Check(args) => {
            init_logging("copydesk=warn");
            copydesk::cli::check(args)
        }
        Command::Names(args) => {
            init_logging("copydesk=warn");
            copydesk::cli::names::names(args)
        }
    };
    std::process::exit(code);
}

/// Logs go to stderr (stdout is the protocol); `RUST_LOG` sets the level.
fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
