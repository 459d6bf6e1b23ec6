use clap::Parser;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    match portal_api::cli::run(portal_api::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("portal: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
