//! A one-line text input (filter, command line, typed confirmation).

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextLine {
    pub text: String,
}

/// What a key does to a line being edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    DeleteBack,
    Clear,
}

impl TextLine {
    pub fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::Insert(c) if !c.is_control() => self.text.push(c),
            Edit::Insert(_) => {}
            Edit::DeleteBack => {
                self.text.pop();
            }
            Edit::Clear => self.text.clear(),
        }
    }
}
