//! Library enums as clap values: their names, help lines and parsing are
//! the library's (`ALL`, `name`, `describe`, `FromStr`), defined once.

use clap::builder::{PossibleValue, TypedValueParser};
use std::marker::PhantomData;

/// A library enum that users choose on the command line.
pub trait Choice: Copy + Send + Sync + 'static + std::str::FromStr<Err = String> {
    /// Every value.
    fn all() -> &'static [Self];
    /// Its name.
    fn name(self) -> &'static str;
    /// Its help line.
    fn describe(self) -> &'static str;
}

macro_rules! choice_impl {
    ($($t:ty),*) => {$(
        impl Choice for $t {
            fn all() -> &'static [Self] { <$t>::ALL }
            fn name(self) -> &'static str { <$t>::name(self) }
            fn describe(self) -> &'static str { <$t>::describe(self) }
        }
    )*};
}

choice_impl!(
    hark::clean::DespinMode,
    hark::frontend::UrlStyle,
    hark::speech::SubtitleFormat,
    hark::speech::Speaker,
    hark::speech::AudioFormat
);

/// A clap value parser for `T`.
pub struct ChoiceParser<T>(PhantomData<T>);

impl<T> Clone for ChoiceParser<T> {
    fn clone(&self) -> Self {
        ChoiceParser(PhantomData)
    }
}

/// The parser, for `value_parser = choice::<T>()`.
pub fn choice<T: Choice>() -> ChoiceParser<T> {
    ChoiceParser(PhantomData)
}

impl<T: Choice> TypedValueParser for ChoiceParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let s = value.to_string_lossy();
        s.parse::<T>().map_err(|e| {
            let mut err = clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd);
            if let Some(a) = arg {
                err.insert(
                    clap::error::ContextKind::InvalidArg,
                    clap::error::ContextValue::String(a.to_string()),
                );
            }
            err.insert(
                clap::error::ContextKind::InvalidValue,
                clap::error::ContextValue::String(s.into_owned()),
            );
            err.insert(
                clap::error::ContextKind::ValidValue,
                clap::error::ContextValue::Strings(T::all().iter().map(|v| v.name().to_string()).collect()),
            );
            let _ = e;
            err
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::all().iter().map(|v| PossibleValue::new(v.name()).help(v.describe())),
        ))
    }
}
